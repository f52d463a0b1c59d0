import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {formatTable, visibleWidth} from '../../src/cli/render/table.js'

describe('formatTable', () => {
  it('aligns columns, ignoring colour codes, and leaves the last column unpadded', () => {
    const green = (text: string) => `\u001B[32m${text}\u001B[39m`
    assert.deepEqual(
      formatTable([
        ['HOST', 'STATE', 'NOTE'],
        ['node1', green('ON'), ''],
        ['n2', 'OFF', 'why'],
      ]),
      ['HOST   STATE  NOTE', `node1  ${green('ON')}`, 'n2     OFF    why'],
    )
    assert.equal(visibleWidth(green('ON')), 2)
  })
})
