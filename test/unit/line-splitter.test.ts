import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {LineSplitter} from '../../src/core/line-splitter.js'

function feed(max: number, chunks: Array<Buffer | string>): {lines: string[]; oversize: boolean} {
  const splitter = new LineSplitter(max)
  const lines: string[] = []
  for (const chunk of chunks) {
    const result = splitter.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))
    lines.push(...result.lines)
    if (result.oversize) return {lines, oversize: true}
  }

  return {lines, oversize: false}
}

describe('LineSplitter: refuse (a protocol)', () => {
  const cases: Array<[string, number, Array<Buffer | string>, string[], boolean]> = [
    ['one line', 100, ['ping\n'], ['ping'], false],
    ['several lines in one chunk', 100, ['ping\nmem_stat\nx\n'], ['ping', 'mem_stat', 'x'], false],
    ['a line cut in pieces', 100, ['pi', 'n', 'g\nsh', 'utdown\n'], ['ping', 'shutdown'], false],
    ['CRLF', 100, ['ping\r\n'], ['ping'], false],
    ['an empty line', 100, ['\n'], [''], false],
    ['no newline yet', 100, ['ping'], [], false],
    ['a line of exactly the limit', 4, ['abcd\n'], ['abcd'], false],
    ['a line over the limit in one chunk', 4, ['ok\nabcde\nping\n'], ['ok'], true],
    ['a line over the limit across chunks', 4, ['ab', 'cd', 'e'], [], true],
    ['an unterminated line over the limit', 4, ['ok\nabcdef'], ['ok'], true],
    ['a multi-byte character split across chunks', 100, [Buffer.from([0xc3]), Buffer.from([0xa9, 0x0a])], ['é'], false],
  ]
  for (const [name, max, chunks, lines, oversize] of cases) {
    it(name, () => {
      assert.deepEqual(feed(max, chunks), {lines, oversize})
    })
  }
})

describe("LineSplitter: split (a host's output)", () => {
  it('cuts a line with no end into pieces instead of holding it, and flushes the rest', () => {
    const splitter = new LineSplitter(4, 'split')
    assert.deepEqual(splitter.push(Buffer.from('abcdefghij')), {lines: ['abcd', 'efgh'], oversize: false})
    assert.deepEqual(splitter.flush(), ['ij'])
    assert.deepEqual(splitter.flush(), [])
  })

  it('gives whole lines whatever the chunks, long ones in pieces', () => {
    const splitter = new LineSplitter(4, 'split')
    assert.deepEqual(splitter.push(Buffer.from('one\ntw')).lines, ['one'])
    assert.deepEqual(splitter.push(Buffer.from('o\n\nabcdef\nx')).lines, ['two', '', 'abcd', 'ef'])
    assert.deepEqual(splitter.flush(), ['x'])
  })
})
