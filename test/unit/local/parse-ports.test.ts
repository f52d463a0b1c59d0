import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {UsageError} from '../../../src/core/errors.js'
import {parsePorts} from '../../../src/core/local/parse-ports.js'

describe('parsePorts', () => {
  it('reads one port per line, with comments and blank lines', () => {
    const text = '# ports\n15001\n\n  15002  # second\r\n65535\n1024\n'
    assert.deepEqual(parsePorts(text, 'port.conf'), [
      {port: 15_001, line: 2},
      {port: 15_002, line: 4},
      {port: 65_535, line: 5},
      {port: 1024, line: 6},
    ])
  })

  const malformed: Array<[string, string, string]> = [
    ['non-integer', '15001\n15002x\n', 'port.conf:2: invalid port "15002x": expected an integer 1024-65535'],
    ['decimal', '15001.5\n', 'port.conf:1: invalid port "15001.5": expected an integer 1024-65535'],
    ['negative', '-15001\n', 'port.conf:1: invalid port "-15001": expected an integer 1024-65535'],
    ['hex', '0x3a99\n', 'port.conf:1: invalid port "0x3a99": expected an integer 1024-65535'],
    ['below range', '# low\n1023\n', 'port.conf:2: port 1023 out of range: expected 1024-65535'],
    ['zero', '0\n', 'port.conf:1: port 0 out of range: expected 1024-65535'],
    ['above range', '65536\n', 'port.conf:1: port 65536 out of range: expected 1024-65535'],
    ['huge', '99999999999999999999\n', 'port.conf:1: port 99999999999999999999 out of range: expected 1024-65535'],
    ['two words', '15001 15002\n', 'port.conf:1: expected one port per line, found "15001 15002"'],
    ['duplicate', '15001\n15002\n\n15001\n', 'port.conf:4: duplicate port 15001 (first on line 1)'],
    ['duplicate with leading zero', '15001\n015001\n', 'port.conf:2: duplicate port 15001 (first on line 1)'],
    ['empty file', '', 'port.conf: no ports listed (add one per line, e.g. "15001")'],
    ['only comments', '# nothing\n\n   \n', 'port.conf: no ports listed (add one per line, e.g. "15001")'],
  ]
  for (const [name, text, message] of malformed) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => parsePorts(text, 'port.conf'),
        (error: unknown) => error instanceof UsageError && error.message === message,
      )
    })
  }
})
