import {expandHostRange} from './expand-host-range.js'

/** One target as written on a clients.conf line, after range expansion. */
export interface HostEntry {
  /** The name shown in output and used for output folders: `host` or `host:port` as written. */
  name: string
  host: string
  port?: number
  user?: string
}

/** Throws the line's error (the caller adds file:line). */
export type Fail = (message: string) => never

const USER = /^[A-Za-z_][\w.-]*$/
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?'
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*\\.?$`)

/** Parses one `[user@]host[:port]` (ranges expanded, `[IPv6]` in brackets), or fails with the line's mistake. */
export function parseHostEntry(text: string, fail: Fail): HostEntry[] {
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

function splitHostPort(text: string, fail: Fail): {host: string; port?: number; ipv6: boolean} {
  // An opening bracket with a colon before any closing one is an IPv6 address, closed or not.
  if (/^\[[^\]]*:/.test(text) && !text.includes(']'))
    fail(`unclosed "[" in "${text}": write an IPv6 address as "${text}]" (with a port: "[address]:port")`)
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

function portOf(text: string | undefined, fail: Fail): {port?: number} {
  if (text === undefined) return {}
  const port = Number(text)
  if (!/^\d{1,5}$/.test(text) || port < 1 || port > 65_535) fail(`invalid port "${text}" (expected 1-65535)`)
  return {port}
}

function expandOrFail(pattern: string, fail: Fail): string[] {
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
