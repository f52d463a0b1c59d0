import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {countOf, formatDuration} from '../../../src/cli/render/units.js'

describe('formatDuration', () => {
  const cases: Array<[number, string]> = [
    [0, '0ms'],
    [850, '850ms'],
    [7500, '7.5s'],
    [42_000, '42s'],
    [65_000, '1m05s'],
    [307_000, '5m07s'],
    [3_725_000, '1h02m'],
    [273_600_000, '3d04h'],
    [Number.POSITIVE_INFINITY, '?'],
  ]
  for (const [ms, text] of cases) it(`${ms} ms is ${text}`, () => assert.equal(formatDuration(ms), text))
})

describe('countOf', () => {
  it('says 1 file, 0 files, 2 files', () => {
    assert.deepEqual([countOf(1, 'file'), countOf(0, 'file'), countOf(2, 'file')], ['1 file', '0 files', '2 files'])
  })
})
