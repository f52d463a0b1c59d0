import {appendFileSync, closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync} from 'node:fs'
import {dirname} from 'node:path'

import type {HostAddress, PresentedKey} from './host-key-policy.js'

import {failure, HostFailure} from '../host-result.js'
import {KnownHostsIndex} from './known-hosts-index.js'
import {formatKnownHostsLine, hostToken, type KnownHostEntry, parseKnownHosts} from './known-hosts.js'

interface KnownHostsFile {
  entries: KnownHostEntry[]
  /** Lines in the file, so that an appended entry knows its line number without reading it again. */
  lines: number
}

/**
 * The known_hosts files of one command, each read once and indexed once per list of files
 * (known-hosts-index.ts), shared by every host's connection. Hosts accepted under accept-new are
 * appended to the first file of their list and added to every index that holds that file.
 */
export class KnownHostsStore {
  private readonly files = new Map<string, KnownHostsFile>()
  /** One index per list of files, keyed by the list (paths joined by newlines, which no path holds). */
  private readonly indexes = new Map<string, {paths: string[]; index: KnownHostsIndex}>()

  /** The index of these files' entries, in order; a missing file has none. */
  index(paths: string[]): KnownHostsIndex {
    const key = paths.join('\n')
    const known = this.indexes.get(key)
    if (known !== undefined) return known.index
    const index = new KnownHostsIndex(
      paths,
      paths.flatMap((path) => this.read(path).entries),
    )
    this.indexes.set(key, {paths, index})
    return index
  }

  /** Appends a plain `[host]:port type key` line (creating the file and folder, private). */
  record(path: string, {host, port}: HostAddress, {key, type}: PresentedKey): void {
    const file = this.read(path)
    mkdirSync(dirname(path), {recursive: true, mode: 0o700})
    // A file whose last line has no newline would have our line glued onto it.
    const gap = lacksFinalNewline(path) ? '\n' : ''
    appendFileSync(path, gap + formatKnownHostsLine(host, port, type, key), {mode: 0o600})
    file.lines++
    const entry: KnownHostEntry = {
      file: path,
      line: file.lines,
      marker: undefined,
      patterns: hostToken(host, port),
      keyType: type,
      key,
    }
    file.entries.push(entry)
    for (const {index, paths} of this.indexes.values()) if (paths.includes(path)) index.add(entry)
  }

  private read(path: string): KnownHostsFile {
    let file = this.files.get(path)
    if (file === undefined) {
      file = readOrEmpty(path)
      this.files.set(path, file)
    }

    return file
  }
}

function readOrEmpty(path: string): KnownHostsFile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const {code} = error as NodeJS.ErrnoException
    if (code === 'ENOENT') return {entries: [], lines: 0}
    throw new HostFailure(failure('host-key-unknown', `cannot read known_hosts ${path} (${code ?? String(error)})`))
  }

  const lines = text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0)
  return {entries: parseKnownHosts(text, path), lines}
}

function lacksFinalNewline(path: string): boolean {
  let fd: number | undefined
  try {
    fd = openSync(path, 'r')
    const {size} = fstatSync(fd)
    if (size === 0) return false
    const last = Buffer.alloc(1)
    readSync(fd, last, 0, 1, size - 1)
    return last[0] !== 0x0a
  } catch {
    return false
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
