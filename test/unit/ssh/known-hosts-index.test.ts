import assert from 'node:assert/strict'
import {createHmac, randomBytes} from 'node:crypto'
import {describe, it} from 'node:test'

import {globToRegExp} from '../../../src/core/inventory/select-hosts.js'
import {decideHostKey} from '../../../src/core/ssh/host-key-policy.js'
import {KnownHostsIndex} from '../../../src/core/ssh/known-hosts-index.js'
import {type KnownHostEntry, parseKnownHosts} from '../../../src/core/ssh/known-hosts.js'

/** The linear scan the index replaces: every entry's every pattern, for every lookup. */
function scanner(entries: KnownHostEntry[]): (host: string, port: number) => KnownHostEntry[] {
  const tests = entries.map((entry) => {
    if (entry.marker !== undefined) return () => false
    if (entry.patterns.startsWith('|1|')) {
      const parts = entry.patterns.split('|')
      const salt = Buffer.from(parts[2] ?? '', 'base64')
      return (token: string) => createHmac('sha1', salt).update(token).digest('base64') === parts[3]
    }

    const patterns = entry.patterns.split(',').map((pattern) => {
      const negated = pattern.startsWith('!')
      return {negated, glob: globToRegExp((negated ? pattern.slice(1) : pattern).toLowerCase())}
    })
    return (token: string) => {
      let matched = false
      for (const {glob, negated} of patterns) {
        if (!glob.test(token)) continue
        if (negated) return false
        matched = true
      }

      return matched
    }
  })
  return (host, port) => {
    const token = port === 22 ? host.toLowerCase() : `[${host.toLowerCase()}]:${port}`
    return entries.filter((_, i) => tests[i]?.(token))
  }
}

const key = (n: number): string =>
  Buffer.concat([Buffer.from('\u0000\u0000\u0000\u000Bssh-ed25519'), Buffer.alloc(4, n)]).toString('base64')

function hashed(token: string): string {
  const salt = randomBytes(20)
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(token).digest('base64')}`
}

/** 10,000 lines: plain names and ports, hashed names, wildcards, negations, markers, comments, garbage. */
function bigKnownHosts(): string {
  const lines: string[] = []
  for (let i = 0; i < 10_000; i++) {
    const host = `node${i % 4000}`
    switch (i % 10) {
      case 0: {
        lines.push(`${hashed(host)} ssh-ed25519 ${key(i)}`)
        break
      }

      case 1: {
        lines.push(`${hashed(`[${host}]:2222`)} ssh-ed25519 ${key(i)}`)
        break
      }

      case 2: {
        lines.push(`[${host}]:2222,${host.toUpperCase()}.example.org ssh-ed25519 ${key(i)}`)
        break
      }

      case 3: {
        lines.push(i % 1000 === 3 ? `rack${i}-*,!rack${i}-9 ecdsa-sha2-nistp256 ${key(i)}` : `# comment ${i}`)
        break
      }

      case 4: {
        lines.push(
          i % 2000 === 4 ? `@revoked * ssh-ed25519 ${key(i)}` : `@cert-authority *.example.net ssh-ed25519 ${key(i)}`,
        )
        break
      }

      case 5: {
        lines.push(i === 5 ? 'garbage' : `10.0.${Math.floor(i / 250) % 250}.${i % 250} ssh-rsa ${key(i)}`)
        break
      }

      default: {
        lines.push(`${host},10.1.${Math.floor(i / 250) % 250}.${i % 250} ssh-ed25519 ${key(i)}`)
      }
    }
  }

  return lines.join('\n') + '\n'
}

describe('KnownHostsIndex over a 10,000-line known_hosts', () => {
  const file = '/big/known_hosts'
  const entries = parseKnownHosts(bigKnownHosts(), file)
  const index = new KnownHostsIndex([file], entries)
  const scan = scanner(entries)
  const lookups: Array<[string, number]> = []
  for (let i = 0; i < 4000; i += 101) lookups.push([`node${i}`, 22], [`node${i}`, 2222], [`NODE${i}.example.org`, 22])
  lookups.push(
    ['rack1003-1', 22],
    ['rack1003-9', 22],
    ['rack1003-x', 2222],
    ['10.0.1.5', 22],
    ['10.1.3.7', 22],
    ['unknown.example.net', 22],
    ['node99999', 22],
  )

  it('finds the same lines, in the same order, as a scan of every entry', () => {
    for (const [host, port] of lookups)
      assert.deepEqual(
        index.matching(host, port).map((entry) => entry.line),
        scan(host, port).map((entry) => entry.line),
        `${host}:${port}`,
      )
  })

  it('answers a second lookup of a name from its cache, identically', () => {
    assert.deepEqual(index.matching('node76', 22), index.matching('NODE76', 22))
    assert.ok(index.matching('node76', 22).length >= 2)
  })

  it('decides as before: known, changed, revoked, record', () => {
    const [first] = scan('node76', 22)
    assert.ok(first)
    const at = {host: 'node76', port: 22}
    assert.equal(decideHostKey(index, at, {type: 'ssh-ed25519', key: first.key}, 'strict').verdict, 'known')
    assert.equal(decideHostKey(index, at, {type: 'ssh-ed25519', key: key(255)}, 'accept-new').verdict, 'changed')
    const revoked = entries.find((entry) => entry.marker === 'revoked')
    assert.ok(revoked)
    const stranger = {host: 'nowhere', port: 22}
    const decision = decideHostKey(index, stranger, {type: 'ssh-ed25519', key: revoked.key}, 'accept-new')
    assert.equal(decision.verdict, 'changed')
    assert.equal(decideHostKey(index, stranger, {type: 'ssh-ed25519', key: key(1)}, 'accept-new').verdict, 'record')
  })

  it('sees an entry added later (an accepted host), in file order, after its cached answer', () => {
    const small = new KnownHostsIndex(['/a', '/b'], parseKnownHosts(`web1 ssh-ed25519 ${key(1)}\n`, '/b'))
    assert.deepEqual(
      small.matching('web1', 22).map((entry) => entry.file),
      ['/b'],
    )
    small.add({file: '/a', line: 7, marker: undefined, patterns: 'web1', keyType: 'ssh-ed25519', key: key(2)})
    assert.deepEqual(
      small.matching('WEB1', 22).map((entry) => entry.file),
      ['/a', '/b'],
    )
  })
})
