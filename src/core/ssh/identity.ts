import {createPrivateKey, type KeyObject, sign} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'
import ssh2, {type ParsedKey} from 'ssh2'

import {UsageError} from '../errors.js'

/** The keys OpenSSH tries by default, in its order. */
export const DEFAULT_KEY_FILES = ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => join(homedir(), '.ssh', name))

export interface LoadedKey {
  path: string
  key: ParsedKey
}

/**
 * Reads private keys once per run, however many hosts use them. Passwordless only: an
 * encrypted key is skipped unless it was named with --identity, where it is an error
 * (load it into ssh-agent instead). Missing default keys are skipped silently.
 */
export class KeyRing {
  private readonly cache = new Map<string, LoadedKey | undefined>()

  constructor(private readonly explicit: string | undefined) {
    if (explicit !== undefined && this.load(explicit, true) === undefined) {
      throw new UsageError(`--identity ${explicit}: cannot use this key`)
    }
  }

  /** Keys to try for a host: --identity, else its ssh_config IdentityFile entries, then the defaults. */
  keysFor(identityFiles: string[]): LoadedKey[] {
    const paths = this.explicit === undefined ? [...identityFiles, ...DEFAULT_KEY_FILES] : [this.explicit]
    const keys = [...new Set(paths)].map((path) => this.load(path, false))
    return keys.filter((key): key is LoadedKey => key !== undefined)
  }

  private load(path: string, required: boolean): LoadedKey | undefined {
    if (this.cache.has(path)) return this.cache.get(path)
    const loaded = readKey(path, required)
    this.cache.set(path, loaded)
    return loaded
  }
}

function readKey(path: string, required: boolean): LoadedKey | undefined {
  let text: Buffer
  try {
    text = readFileSync(path)
  } catch (error) {
    if (!required) return undefined
    throw new UsageError(`--identity ${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }

  const parsed = ssh2.utils.parseKey(text)
  const key = Array.isArray(parsed) ? parsed[0] : parsed
  if (key === undefined || key instanceof Error) {
    if (!required) return undefined
    const reason = key instanceof Error ? key.message : 'no key found'
    const hint = /encrypted|passphrase/i.test(reason) ? ': it is encrypted; add it to ssh-agent (ssh-add) instead' : ''
    throw new UsageError(`--identity ${path}: ${reason}${hint}`)
  }

  return {path, key: decodedOnce(key)}
}

/** The hash each key type signs with when the caller names none, as ssh2 has it. */
const DEFAULT_HASH: Partial<Record<ParsedKey['type'], null | string>> = {
  'ssh-rsa': 'sha1',
  'ssh-dss': 'sha1',
  'ssh-ed25519': null,
  'ecdsa-sha2-nistp256': 'sha256',
  'ecdsa-sha2-nistp384': 'sha384',
  'ecdsa-sha2-nistp521': 'sha512',
}

/**
 * The key, signing with one decoded private key for the whole run: ssh2 hands OpenSSL the key's
 * PEM text at every login, and decoding it again costs more than the signature (an ed25519 login
 * signs in about 0.05 ms with a decoded key, 0.46 ms from PEM). Same signatures as ssh2's; a
 * failure goes back through ssh2's own signing, which reports it as ssh2 expects.
 */
function decodedOnce(key: ParsedKey): ParsedKey {
  const hash = DEFAULT_HASH[key.type]
  if (hash === undefined) return key
  let decoded: KeyObject
  try {
    decoded = createPrivateKey(key.getPrivatePEM())
  } catch {
    return key
  }

  const fromPem = key.sign.bind(key)
  key.sign = (data, algo) => {
    try {
      return sign(algo || hash, typeof data === 'string' ? Buffer.from(data) : data, decoded)
    } catch {
      // ssh2's own path, which turns the failure into the Error value ssh2 expects back.
      return fromPem(data, algo)
    }
  }

  return key
}
