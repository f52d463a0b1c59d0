import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {parseDuration} from '../../src/core/duration.js'
import {UsageError} from '../../src/core/errors.js'

describe('parseDuration', () => {
  const good: Array<[string, number]> = [
    ['500ms', 500],
    ['2s', 2000],
    ['1.5m', 90_000],
    ['1m30s', 90_000],
    ['1h2m3s', 3_723_000],
    ['12h', 43_200_000],
    ['7d', 604_800_000],
    ['0s', 0],
    ['30', 30_000],
    ['2.5', 2500],
    [' 10 ', 10_000],
  ]
  for (const [text, ms] of good)
    it(`${JSON.stringify(text)} is ${ms} ms`, () => assert.equal(parseDuration(text, '--x'), ms))

  for (const bad of ['', 'd', '7w', '-1d', '1 d x', '1e3s', '.5s', 's1', '1m 30s', '10sec'])
    it(`rejects ${JSON.stringify(bad)} in one line naming the flag`, () =>
      assert.throws(
        () => parseDuration(bad, '--older-than'),
        (error: unknown) =>
          error instanceof UsageError && error.message.startsWith('--older-than: ') && !error.message.includes('\n'),
      ))

  it('a bare number above the limit says to write the unit, and what it used to mean', () => {
    assert.equal(parseDuration('5', '--timeout', {maxBareSeconds: 60}), 5000)
    assert.equal(parseDuration('3000ms', '--timeout', {maxBareSeconds: 60}), 3000)
    assert.throws(() => parseDuration('3000', '--timeout', {maxBareSeconds: 60, formerUnit: 'milliseconds'}), {
      message: '--timeout: "3000" is 3000 seconds (it used to mean milliseconds): write the unit, e.g. 3000ms or 3s',
    })
  })
})
