import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {expandHostRange} from '../../../src/core/inventory/expand-host-range.js'

describe('expandHostRange', () => {
  const cases: Array<[string, string[]]> = [
    ['node', ['node']],
    ['node[1-3]', ['node1', 'node2', 'node3']],
    ['node[01-03]', ['node01', 'node02', 'node03']],
    ['node[8-11]', ['node8', 'node9', 'node10', 'node11']],
    ['node[098-100]', ['node098', 'node099', 'node100']],
    ['10.0.0.[1-2,5]', ['10.0.0.1', '10.0.0.2', '10.0.0.5']],
    ['r[1-2]n[1-2]', ['r1n1', 'r1n2', 'r2n1', 'r2n2']],
    ['[1-2].example', ['1.example', '2.example']],
    ['n[7]', ['n7']],
  ]
  for (const [pattern, names] of cases) {
    it(`expands ${pattern}`, () => assert.deepEqual(expandHostRange(pattern), {ok: true, names}))
  }

  const bad: Array<[string, RegExp]> = [
    ['n[3-1]', /runs backwards/],
    ['n[1-3', /unclosed/],
    ['n]1', /unmatched "]"/],
    ['n[]', /empty range/],
    ['n[1-x]', /invalid range/],
    ['n[1-100]m[1-200]', /more than 10000 hosts/],
  ]
  for (const [pattern, message] of bad) {
    it(`rejects ${pattern}`, () => {
      const result = expandHostRange(pattern)
      assert.equal(result.ok, false)
      if (!result.ok) assert.match(result.message, message)
    })
  }
})
