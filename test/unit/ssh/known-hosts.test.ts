import assert from 'node:assert/strict'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {decideHostKey} from '../../../src/core/ssh/host-key-policy.js'
import {KnownHostsIndex} from '../../../src/core/ssh/known-hosts-index.js'
import {KnownHostsStore} from '../../../src/core/ssh/known-hosts-store.js'
import {entryMatches, hostToken, keyTypeOfBlob, parseKnownHosts} from '../../../src/core/ssh/known-hosts.js'
import {fixtures} from '../../helpers/paths.js'

const file = join(fixtures, 'outputs', 'known_hosts')
const entries = parseKnownHosts(readFileSync(file, 'utf8'), file)
const index = new KnownHostsIndex([file], entries)
const key = (n: number) => {
  const [type = '', base64 = ''] = readFileSync(join(fixtures, 'outputs', `known_hosts.key${n}.pub`), 'utf8').split(' ')
  return {type, key: base64.trim()}
}

describe('known_hosts parsing and matching', () => {
  it('keeps key lines with their line numbers; skips comments, CA lines and garbage', () => {
    assert.deepEqual(
      entries.map((e) => [e.line, e.marker, e.keyType]),
      [
        [2, undefined, 'ssh-ed25519'],
        [3, undefined, 'ssh-ed25519'],
        [4, undefined, 'ssh-ed25519'],
        [6, 'revoked', 'ssh-ed25519'],
      ],
    )
  })

  it('writes [host]:port for non-22 ports, as OpenSSH does', () => {
    assert.equal(hostToken('node01', 22), 'node01')
    assert.equal(hostToken('127.0.1.1', 2222), '[127.0.1.1]:2222')
  })

  const matches: Array<[string, number, number, boolean]> = [
    // [host, port, entry index, matches]
    ['node01', 22, 0, true],
    ['NODE01', 22, 0, true],
    ['node01', 2222, 0, false],
    ['node02', 2222, 1, true],
    ['node02', 22, 1, false],
    ['web1', 22, 2, true],
    ['WEB1', 22, 2, true],
    ['web9', 22, 2, false],
    ['db1', 22, 2, false],
  ]
  for (const [host, port, index, expected] of matches) {
    it(`${expected ? 'matches' : 'does not match'} ${hostToken(host, port)} against line ${entries[index]?.line}`, () => {
      const entry = entries[index]
      assert.ok(entry)
      assert.equal(entryMatches(entry, host, port), expected)
    })
  }

  it('reads the key type from a key blob', () => {
    assert.equal(keyTypeOfBlob(Buffer.from(key(1).key, 'base64')), 'ssh-ed25519')
    assert.equal(keyTypeOfBlob(Buffer.alloc(2)), 'unknown')
  })
})

describe('decideHostKey', () => {
  const cases: Array<[string, string, number, number, 'accept-new' | 'off' | 'strict', string]> = [
    ['a known hashed host with its key', 'node01', 22, 1, 'strict', 'known'],
    ['a known host on a non-22 port', 'node02', 2222, 1, 'accept-new', 'known'],
    ['a known host presenting another key', 'node01', 22, 2, 'accept-new', 'changed'],
    ['a changed key even in strict mode', 'node02', 2222, 2, 'strict', 'changed'],
    ['a revoked key for any host', 'web1', 22, 3, 'accept-new', 'changed'],
    ['an unknown host under accept-new', 'db1', 22, 1, 'accept-new', 'record'],
    ['an unknown host under strict', 'db1', 22, 1, 'strict', 'unknown'],
    ['a changed key when checking is off', 'node01', 22, 2, 'off', 'skip'],
  ]
  for (const [title, host, port, keyNumber, check, verdict] of cases) {
    it(`${verdict}: ${title} (${check})`, () => {
      assert.equal(decideHostKey(index, {host, port}, key(keyNumber), check).verdict, verdict)
    })
  }

  it('names the known_hosts line and the fix when a key changed', () => {
    const decision = decideHostKey(index, {host: 'node02', port: 2222}, key(2), 'accept-new')
    assert.equal(decision.verdict, 'changed')
    if (decision.verdict === 'changed') {
      assert.equal(
        decision.message,
        `host key of [node02]:2222 changed: the ssh-ed25519 key it presents differs from ${file}:3; ` +
          `if the host was reinstalled, remove that line (ssh-keygen -R '[node02]:2222' -f ${file})`,
      )
    }
  })
})

describe('KnownHostsStore.record', () => {
  it('starts its line on a line of its own when the file does not end in a newline', () => {
    const dir = mkdtempSync(join(tmpdir(), 'director-known-hosts-'))
    try {
      const path = join(dir, 'known_hosts')
      const first = key(1)
      writeFileSync(path, `old.example ${first.type} ${first.key}`)
      const second = key(2)
      new KnownHostsStore().record(path, {host: '127.0.0.9', port: 2222}, second)
      const kept = parseKnownHosts(readFileSync(path, 'utf8'), path)
      assert.deepEqual(
        kept.map((entry) => [entry.line, entry.patterns, entry.keyType]),
        [
          [1, 'old.example', first.type],
          [2, '[127.0.0.9]:2222', second.type],
        ],
      )
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
