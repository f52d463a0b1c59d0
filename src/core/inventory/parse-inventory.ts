import {located, UsageError} from '../errors.js'
import {expandHostRange} from './expand-host-range.js'

/** One target as written in clients.conf, after range expansion. */
export interface InventoryEntry {
  /** The name shown in output and used for output folders: `host` or `host:port` as written. */
  name: string
  host: string
  port?: number
  user?: string
  /** 1-based line in the inventory file. */
  line: number
}

const USER = /^[A-Za-z_][\w.-]*$/
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?'
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*\\.?$`)

/**
 * Parses clients.conf: one `[user@]host[:port]` per line, `#` comments, blank lines ignored,
 * `[::1]:2222` for IPv6, `node[01-16]` ranges. Throws a UsageError naming `file:line` on the
 * first bad line, on a duplicate host, or when no host is listed.
 */
export function parseInventory(text: string, file: string): InventoryEntry[] {
  const entries: InventoryEntry[] = []
  const firstSeen = new Map<string, number>()
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = index + 1
    const content = stripComment(raw).trim()
    if (content === '') continue
    const fail = (message: string): never => {
      throw new UsageError(located(file, line, message))
    }

    const words = content.split(/\s+/)
    if (words.length > 1) fail(`expected one host per line, found ${words.length} words: "${content}"`)
    for (const entry of parseEntry(content, fail)) {
      const first = firstSeen.get(entry.name)
      if (first !== undefined) fail(`duplicate host "${entry.name}" (first on line ${first})`)
      firstSeen.set(entry.name, line)
      entries.push({...entry, line})
    }
  }

  if (entries.length === 0) {
    throw new UsageError(
      located(file, undefined, 'no hosts listed (add one per line, e.g. "node01" or "admin@10.0.0.5:2222")'),
    )
  }

  return entries
}

function stripComment(line: string): string {
  const hash = line.indexOf('#')
  return hash === -1 ? line : line.slice(0, hash)
}

function parseEntry(text: string, fail: (message: string) => never): Omit<InventoryEntry, 'line'>[] {
  const at = text.indexOf('@')
  const user = at === -1 ? undefined : text.slice(0, at)
  if (user !== undefined && !USER.test(user)) fail(`invalid user "${user}"`)
  const {host, port, ipv6} = splitHostPort(text.slice(at + 1), fail)
  if (host === '') fail(`missing host name in "${text}"`)
  const names = ipv6 ? [host] : expandOrFail(host, fail)
  return names.map((name) => ({
    name: formatName(name, port, ipv6),
    host: name,
    ...(port === undefined ? {} : {port}),
    ...(user === undefined ? {} : {user}),
  }))
}

function splitHostPort(text: string, fail: (message: string) => never): {host: string; port?: number; ipv6: boolean} {
  const bracketed = /^\[([^\]]*:[^\]]*)\](.*)$/.exec(text)
  if (bracketed) {
    const [, address = '', after = ''] = bracketed
    if (!/^[\da-fA-F:.]+(?:%[\w.-]+)?$/.test(address)) fail(`invalid IPv6 address "${address}"`)
    if (after !== '' && !after.startsWith(':')) fail(`unexpected "${after}" after "[${address}]"`)
    return {host: address, ipv6: true, ...portOf(after === '' ? undefined : after.slice(1), fail)}
  }

  const colon = text.indexOf(':')
  if (colon === -1) return {host: text, ipv6: false}
  const host = text.slice(0, colon)
  const port = text.slice(colon + 1)
  if (port.includes(':')) fail(`IPv6 addresses need brackets: "[${text}]" (or "[address]:port")`)
  return {host, ipv6: false, ...portOf(port, fail)}
}

function portOf(text: string | undefined, fail: (message: string) => never): {port?: number} {
  if (text === undefined) return {}
  const port = Number(text)
  if (!/^\d{1,5}$/.test(text) || port < 1 || port > 65_535) fail(`invalid port "${text}" (expected 1-65535)`)
  return {port}
}

function expandOrFail(pattern: string, fail: (message: string) => never): string[] {
  const expanded = expandHostRange(pattern)
  if (!expanded.ok) return fail(expanded.message)
  for (const name of expanded.names) {
    if (/^[\d.]+$/.test(name)) {
      if (!isIPv4(name)) fail(`invalid IPv4 address "${name}"`)
    } else if (!HOSTNAME.test(name)) {
      fail(`invalid host name "${name}"`)
    }
  }

  return expanded.names
}

function isIPv4(text: string): boolean {
  const parts = text.split('.')
  return parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)
}

function formatName(host: string, port: number | undefined, ipv6: boolean): string {
  if (port === undefined) return host
  return ipv6 ? `[${host}]:${port}` : `${host}:${port}`
}
