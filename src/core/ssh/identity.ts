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

  return {path, key}
}
