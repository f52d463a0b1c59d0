import {createHmac} from 'node:crypto'

import {globToRegExp} from '../inventory/select-hosts.js'

/** One key line of a known_hosts file. */
export interface KnownHostEntry {
  file: string
  line: number
  /** `@revoked` lines always refuse; `@cert-authority` lines are not host keys and are skipped. */
  marker: 'revoked' | undefined
  /** Comma-separated host patterns, or one hashed `|1|salt|hash` entry. */
  patterns: string
  keyType: string
  /** Base64 of the public key blob, as written in the file. */
  key: string
}

/** Parses known_hosts text; comments, blank lines, malformed lines and CA lines are skipped. */
export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = []
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const words = raw.trim().split(/\s+/)
    if (words[0] === undefined || words[0] === '' || words[0].startsWith('#')) continue
    let marker: KnownHostEntry['marker']
    if (words[0].startsWith('@')) {
      if (words[0] !== '@revoked') continue
      marker = 'revoked'
      words.shift()
    }

    const [patterns, keyType, key] = words
    if (patterns === undefined || keyType === undefined || key === undefined) continue
    entries.push({file, line: index + 1, marker, patterns, keyType, key})
  }

  return entries
}

/** The name OpenSSH looks up and records: `host` on port 22, `[host]:port` otherwise. */
export function hostToken(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`
}

/** Whether an entry's host field names this host (plain patterns, `!` negation, or hashed `|1|`). */
export function entryMatches(entry: KnownHostEntry, host: string, port: number): boolean {
  // OpenSSH lowercases the name before matching and before hashing it.
  return compileHostField(entry.patterns)(hostToken(host.toLowerCase(), port))
}

/** A lowercased `hostToken` to whether it is named by one host field. */
export type HostFieldMatcher = (token: string) => boolean

/**
 * Compiles a host field once: a hashed `|1|salt|hash` entry costs one HMAC per name asked, a
 * pattern list one RegExp per wildcard pattern (plain names are compared as strings). A negated
 * pattern that matches wins over every other, as in OpenSSH's match_hostname.
 */
export function compileHostField(field: string): HostFieldMatcher {
  if (field.startsWith('|1|')) return compileHashed(field)
  const positive: Array<(token: string) => boolean> = []
  const negative: Array<(token: string) => boolean> = []
  for (const pattern of field.split(',')) {
    const negated = pattern.startsWith('!')
    const glob = (negated ? pattern.slice(1) : pattern).toLowerCase()
    const test = /[*?]/.test(glob) ? regExpTest(globToRegExp(glob)) : (token: string) => token === glob
    ;(negated ? negative : positive).push(test)
  }

  return (token) => !negative.some((test) => test(token)) && positive.some((test) => test(token))
}

/** Plain host names of a field with no wildcard, negation or hash (lowercased), else undefined. */
export function plainHostNames(field: string): string[] | undefined {
  if (field.startsWith('|') || /[*?!]/.test(field)) return undefined
  return field.split(',').map((name) => name.toLowerCase())
}

function regExpTest(pattern: RegExp): (token: string) => boolean {
  return (token) => pattern.test(token)
}

function compileHashed(field: string): HostFieldMatcher {
  const parts = field.split('|')
  const salt = parts[2]
  const hash = parts[3]
  if (salt === undefined || hash === undefined) return () => false
  const key = Buffer.from(salt, 'base64')
  return (token) => createHmac('sha1', key).update(token).digest('base64') === hash
}

/** A line to append for a newly accepted host, in OpenSSH's plain form. */
export function formatKnownHostsLine(host: string, port: number, keyType: string, key: string): string {
  return `${hostToken(host, port)} ${keyType} ${key}\n`
}

/** The key type named inside an SSH public key blob (a length-prefixed string at its start). */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) return 'unknown'
  const length = blob.readUInt32BE(0)
  return blob.subarray(4, 4 + length).toString('latin1')
}
