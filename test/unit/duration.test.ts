import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {parseDuration} from '../../src/core/duration.js'
import {UsageError} from '../../src/core/errors.js'

describe('parseDuration', () => {
  const good: Array<[string, number]> = [
    ['500ms', 500],
    ['2s', 2000],
    ['1.5m', 90_000],
    ['12h', 43_200_000],
    ['7d', 604_800_000],
    ['0s', 0],
  ]
  for (const [text, ms] of good) it(`${text} is ${ms} ms`, () => assert.equal(parseDuration(text, '--x'), ms))

  for (const bad of ['', '7', 'd', '7w', '-1d', '1 d x', '1e3s', '.5s'])
    it(`rejects "${bad}" in one line naming the flag`, () =>
      assert.throws(
        () => parseDuration(bad, '--older-than'),
        (error: unknown) =>
          error instanceof UsageError && error.message.startsWith('--older-than: ') && !error.message.includes('\n'),
      ))
})
