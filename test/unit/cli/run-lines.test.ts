import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {LineSplitter} from '../../../src/cli/render/run-lines.js'

describe('LineSplitter', () => {
  it('gives whole lines per key, whatever the chunks', () => {
    const lines = new LineSplitter()
    assert.deepEqual(lines.push('a', Buffer.from('one\ntw')), ['one'])
    assert.deepEqual(lines.push('b', Buffer.from('x')), [])
    assert.deepEqual(lines.push('a', Buffer.from('o\n\nthree')), ['two', ''])
    assert.deepEqual(lines.flush('a'), ['three'])
    assert.deepEqual(lines.flush('a'), [])
    assert.deepEqual(lines.flush('b'), ['x'])
  })

  it('cuts a line with no end into pieces instead of holding it', () => {
    const lines = new LineSplitter(4)
    assert.deepEqual(lines.push('a', Buffer.from('abcdefghij')), ['abcd', 'efgh'])
    assert.deepEqual(lines.flush('a'), ['ij'])
  })
})
