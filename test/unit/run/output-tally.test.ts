import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {describe, it} from 'node:test'

import {HEAD_BYTES, OutputTally, wholeUtf8} from '../../../src/core/run/output-tally.js'

describe('OutputTally', () => {
  it('counts every byte, hashes them all and keeps only the first HEAD_BYTES', () => {
    const tally = new OutputTally()
    const chunks = [Buffer.from('x'.repeat(3000)), Buffer.from('y'.repeat(3000)), Buffer.from('z')]
    for (const chunk of chunks) tally.add(chunk)
    const {head, sha256} = tally.finish()
    assert.equal(tally.bytes, 6001)
    assert.equal(sha256, createHash('sha256').update(Buffer.concat(chunks)).digest('hex'))
    assert.equal(head, 'x'.repeat(3000) + 'y'.repeat(HEAD_BYTES - 3000))
  })
})

describe('wholeUtf8', () => {
  it('drops a character the cut split, and only that', () => {
    const euro = Buffer.from('a€', 'utf8')
    const cases: Array<[Buffer, string]> = [
      [euro, 'a€'],
      [euro.subarray(0, 3), 'a'],
      [euro.subarray(0, 2), 'a'],
      [Buffer.from('ab'), 'ab'],
      [Buffer.from('😀'), '😀'],
      [Buffer.from('😀').subarray(0, 3), ''],
      [Buffer.alloc(0), ''],
    ]
    for (const [buffer, text] of cases) assert.equal(wholeUtf8(buffer), text, buffer.toString('hex'))
  })
})
