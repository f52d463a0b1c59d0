import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {describe, it} from 'node:test'

import {posixShell, shellJoin, shellQuote} from '../../../src/core/remote/shell-quote.js'

const hostile = [
  'plain',
  'with space',
  "it's",
  '"double"',
  '$(touch /tmp/director-pwned)',
  '`id`',
  'a;b',
  'new\nline',
  '-rf',
  '',
  '*',
  'ünï €',
  String.raw`back\slash`,
  '$HOME',
]

describe('shellQuote', () => {
  it('leaves safe words alone and quotes the rest', () => {
    assert.equal(shellQuote('tweet_17.txt'), 'tweet_17.txt')
    assert.equal(shellQuote('a b'), "'a b'")
    assert.equal(shellQuote("it's"), String.raw`'it'\''s'`)
    assert.equal(shellQuote(''), "''")
  })

  it('round-trips every hostile argument through a real /bin/sh, literally', () => {
    const printed = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${shellJoin(hostile)}`], {encoding: 'utf8'})
    assert.deepEqual(printed.split('\0').slice(0, -1), hostile)
  })

  it('wraps a script so that sh runs it whatever the login shell', () => {
    const command = posixShell(`printf '%s' ${shellQuote('$(x); y')}`)
    assert.equal(execFileSync('/bin/sh', ['-c', command], {encoding: 'utf8'}), '$(x); y')
  })
})
