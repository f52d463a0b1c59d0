import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {foldIdenticalOutput} from '../../../src/core/run/fold-identical-output.js'

describe('foldIdenticalOutput', () => {
  it('folds hosts with the same stdout and exit code, in order of their first host', () => {
    const groups = foldIdenticalOutput([
      {host: 'h1', digest: 'A', exitCode: 0},
      {host: 'h2', digest: 'B', exitCode: 0},
      {host: 'h3', digest: 'A', exitCode: 0},
      {host: 'h4', digest: 'A', exitCode: 1},
      {host: 'h5', digest: 'B', exitCode: 0},
    ])
    assert.deepEqual(groups, [
      {hosts: ['h1', 'h3'], digest: 'A', exitCode: 0},
      {hosts: ['h2', 'h5'], digest: 'B', exitCode: 0},
      {hosts: ['h4'], digest: 'A', exitCode: 1},
    ])
  })

  it('keeps a null exit code apart from any number, and returns nothing for no hosts', () => {
    const groups = foldIdenticalOutput([
      {host: 'h1', digest: '', exitCode: null},
      {host: 'h2', digest: '', exitCode: 0},
    ])
    assert.equal(groups.length, 2)
    assert.deepEqual(foldIdenticalOutput([]), [])
  })
})
