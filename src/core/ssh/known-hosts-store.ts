import {appendFileSync, mkdirSync, readFileSync} from 'node:fs'
import {dirname} from 'node:path'

import type {HostAddress, PresentedKey} from './host-key-policy.js'

import {failure, HostFailure} from '../host-result.js'
import {formatKnownHostsLine, type KnownHostEntry, parseKnownHosts} from './known-hosts.js'

/**
 * The known_hosts files of one run, each read once and shared by every host's connection.
 * Hosts accepted under accept-new are appended to the first file of their list.
 */
export class KnownHostsStore {
  private readonly files = new Map<string, KnownHostEntry[]>()

  /** Entries of these files, in order; a missing file has none. */
  entries(paths: string[]): KnownHostEntry[] {
    return paths.flatMap((path) => this.read(path))
  }

  /** Appends a plain `[host]:port type key` line (creating the file and folder, private). */
  record(path: string, {host, port}: HostAddress, {key, type}: PresentedKey): void {
    mkdirSync(dirname(path), {recursive: true, mode: 0o700})
    const line = formatKnownHostsLine(host, port, type, key)
    appendFileSync(path, line, {mode: 0o600})
    this.files.set(path, readOrEmpty(path))
  }

  private read(path: string): KnownHostEntry[] {
    let entries = this.files.get(path)
    if (entries === undefined) {
      entries = readOrEmpty(path)
      this.files.set(path, entries)
    }

    return entries
  }
}

function readOrEmpty(path: string): KnownHostEntry[] {
  try {
    return parseKnownHosts(readFileSync(path, 'utf8'), path)
  } catch (error) {
    const {code} = error as NodeJS.ErrnoException
    if (code === 'ENOENT') return []
    throw new HostFailure(failure('host-key-unknown', `cannot read known_hosts ${path} (${code ?? String(error)})`))
  }
}
