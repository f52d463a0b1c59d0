import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {createPublicKey, verify} from 'node:crypto'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import ssh2, {type ParsedKey} from 'ssh2'

import {KeyRing} from '../../../src/core/ssh/identity.js'

/** Key files made by the real ssh-keygen, one per type and size ssh2 signs with. */
const KINDS: Array<{name: string; args: string[]; hashes: Array<string | undefined>; deterministic: boolean}> = [
  {name: 'ed25519', args: ['-t', 'ed25519'], hashes: [undefined], deterministic: true},
  {name: 'ecdsa-256', args: ['-t', 'ecdsa', '-b', '256'], hashes: [undefined], deterministic: false},
  {name: 'ecdsa-384', args: ['-t', 'ecdsa', '-b', '384'], hashes: [undefined], deterministic: false},
  {name: 'ecdsa-521', args: ['-t', 'ecdsa', '-b', '521'], hashes: [undefined], deterministic: false},
  {name: 'rsa', args: ['-t', 'rsa', '-b', '2048'], hashes: [undefined, 'sha256', 'sha512'], deterministic: true},
]

/** What the key type signs with when no hash is named (ssh2's defaults). */
const VERIFY_HASH: Record<string, null | string> = {
  'ssh-ed25519': null,
  'ssh-rsa': 'sha1',
  'ecdsa-sha2-nistp256': 'sha256',
  'ecdsa-sha2-nistp384': 'sha384',
  'ecdsa-sha2-nistp521': 'sha512',
}

function ssh2Parsed(path: string): ParsedKey {
  const parsed = ssh2.utils.parseKey(readFileSync(path))
  const key = Array.isArray(parsed) ? parsed[0] : parsed
  if (key === undefined || key instanceof Error) throw new Error(`ssh2 cannot parse ${path}`)
  return key
}

describe('identity keys sign with a key decoded once', () => {
  let dir = ''

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'director-identity-'))
    for (const kind of KINDS) {
      execFileSync('ssh-keygen', ['-q', ...kind.args, '-N', '', '-C', kind.name, '-f', join(dir, kind.name)], {
        timeout: 30_000,
      })
    }
  })

  after(() => rmSync(dir, {recursive: true, force: true}))

  for (const kind of KINDS) {
    for (const hash of kind.hashes) {
      it(`${kind.name}, hash ${hash ?? 'by default'}: the signature verifies and matches ssh2's own`, () => {
        const path = join(dir, kind.name)
        const [loaded] = new KeyRing(path).keysFor([])
        assert.ok(loaded, 'the key loads')
        const data = Buffer.from(`session id and auth request for ${kind.name}`)
        const signature = loaded.key.sign(data, hash)
        assert.ok(Buffer.isBuffer(signature), 'a signature, not an error')
        const publicKey = createPublicKey(loaded.key.getPublicPEM())
        const verifyHash = hash ?? VERIFY_HASH[loaded.key.type] ?? null
        assert.ok(verify(verifyHash, data, publicKey, signature), 'it verifies with the public key')
        assert.ok(!verify(verifyHash, Buffer.from('other data'), publicKey, signature), 'and only for its data')
        if (kind.deterministic) assert.deepEqual(signature, ssh2Parsed(path).sign(data, hash))
      })
    }
  }

  it('returns ssh2 its Error value for a hash OpenSSL does not know', () => {
    const [loaded] = new KeyRing(join(dir, 'rsa')).keysFor([])
    assert.ok(loaded)
    const result: unknown = loaded.key.sign(Buffer.from('data'), 'no-such-hash')
    assert.ok(result instanceof Error, `an Error, as ssh2's own signing returns: ${String(result)}`)
  })
})
