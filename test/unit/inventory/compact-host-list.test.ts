import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {compactHostList} from '../../../src/core/inventory/compact-host-list.js'
import {expandHostRange} from '../../../src/core/inventory/expand-host-range.js'

describe('compactHostList', () => {
  const cases: Array<[string[], string]> = [
    [['127.0.1.1', '127.0.1.2', '127.0.1.3', '127.0.1.5'], '127.0.1.[1-3,5]'],
    [['127.0.1.9', '127.0.1.10', '127.0.1.11'], '127.0.1.[9-11]'],
    [['node01', 'node02', 'node03', 'node10'], 'node[01-03,10]'],
    [['node3'], 'node3'],
    [['web', 'db'], 'web,db'],
    [['n2', 'n1', 'n2'], 'n[1-2]'],
    [['r1-ib', 'r2-ib', 'r1'], 'r[1-2]-ib,r1'],
    [['a1', 'b1', 'a2', 'b2'], 'a[1-2],b[1-2]'],
    [['node1', 'node01'], 'node1,node01'],
    [[], ''],
  ]
  for (const [names, expected] of cases) {
    it(`writes ${names.join(' ') || 'nothing'} as ${expected || '""'}`, () => {
      assert.equal(compactHostList(names), expected)
    })
  }

  it('writes what the inventory expands back to the same hosts', () => {
    const names = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.7', '10.0.0.8', '10.0.0.12']
    const compact = compactHostList(names)
    assert.equal(compact, '10.0.0.[1-3,7-8,12]')
    assert.deepEqual(expandHostRange(compact), {ok: true, names})
  })
})
