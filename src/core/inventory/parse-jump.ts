import {type Fail, type HostEntry, parseHostEntry} from './parse-host-entry.js'

/**
 * Parses a bastion as ssh_config's ProxyJump and `-J` write it: `[user@]host[:port]`, also as
 * `ssh://[user@]host[:port]`, `[IPv6]:port` in brackets; `none` (any case) is no bastion
 * (undefined). A chain of bastions (`a,b`) is refused: director opens one hop.
 */
export function parseJump(value: string, fail: Fail): HostEntry | undefined {
  const text = value.trim()
  if (text.toLowerCase() === 'none') return undefined
  if (text.includes(',')) fail(`multi-hop jump "${text}" is not supported: give one bastion`)
  const spec = text.startsWith('ssh://') ? text.slice('ssh://'.length).replace(/\/$/, '') : text
  if (spec === '') fail('empty jump host: give [user@]host[:port], or none')
  const entries = parseHostEntry(spec, fail)
  const [entry] = entries
  if (entry === undefined || entries.length > 1) return fail(`jump host "${text}" must name one host, not a range`)
  return entry
}
