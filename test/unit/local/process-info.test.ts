import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {isSameProcess, parseProcStat, readProcStat} from '../../../src/core/local/process-info.js'

const tail = 'S 1 2 3 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 200'

describe('parseProcStat', () => {
  const cases: Array<[string, string, ReturnType<typeof parseProcStat>]> = [
    ['a plain name', `1234 (node) ${tail}`, {state: 'S', startTime: '987654'}],
    ['a name with spaces and parentheses', `1234 (my (odd) name) ${tail}`, {state: 'S', startTime: '987654'}],
    ['a zombie', `1234 (node) Z${tail.slice(1)}`, {state: 'Z', startTime: '987654'}],
    ['no parenthesis', '1234 node S 1', undefined],
    ['too few fields', '1234 (node) S 1 2 3', undefined],
  ]
  for (const [name, text, expected] of cases) {
    it(name, () => assert.deepEqual(parseProcStat(text), expected))
  }

  it('recognises this process and refuses another start time', () => {
    const own = readProcStat(process.pid)
    assert.ok(own, 'this test needs /proc')
    assert.equal(isSameProcess(process.pid, own.startTime), true)
    assert.equal(isSameProcess(process.pid, String(Number(own.startTime) + 1)), false)
    assert.equal(isSameProcess(2 ** 22 + 7, own.startTime), false)
  })
})
