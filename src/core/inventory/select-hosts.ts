import type {Host} from './host.js'
import type {InventoryGroup} from './parse-inventory.js'

import {UsageError} from '../errors.js'
import {expandHostRange} from './expand-host-range.js'

/** What `--limit` is matched against besides the host names: the inventory's groups and its path (for messages). */
export interface LimitContext {
  file: string
  groups: ReadonlyArray<Pick<InventoryGroup, 'hosts' | 'name'>>
}

/**
 * Keeps the hosts that `--limit` selects: comma-separated patterns, each a glob (`web*`,
 * `127.0.1.?`) and/or a range (`node[01-04]`) matched against the whole host name, or `@group`
 * (globs and ranges too: `@rack[1-2]`) for the hosts of a clients.conf group. A `!` before a
 * pattern excludes. A limit that matches nothing, or names no group, is a usage error.
 */
export function selectHosts<T extends Pick<Host, 'name'>>(
  hosts: T[],
  limit: string | undefined,
  context: LimitContext,
): T[] {
  if (limit === undefined || limit.trim() === '') return hosts
  const patterns = splitPatterns(limit)
  const matcher = (pattern: string): Matcher => toMatcher(pattern, limit, context)
  const include = patterns.filter((p) => !p.startsWith('!')).map((p) => matcher(p))
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => matcher(p.slice(1)))
  const selected = hosts.filter(
    (host) =>
      (include.length === 0 || include.some((matches) => matches(host.name))) &&
      !exclude.some((matches) => matches(host.name)),
  )
  if (selected.length === 0) throw new UsageError(`--limit "${limit}" matches no host in ${context.file}`)
  return selected
}

type Matcher = (name: string) => boolean

/** Splits on commas that are not inside a range's brackets: `n[1-2,5],web*`. */
function splitPatterns(limit: string): string[] {
  const patterns: string[] = []
  let depth = 0
  let current = ''
  for (const char of limit) {
    if (char === '[') depth++
    if (char === ']') depth--
    if (char === ',' && depth === 0) {
      patterns.push(current.trim())
      current = ''
    } else {
      current += char
    }
  }

  patterns.push(current.trim())
  return patterns.filter((pattern) => pattern !== '')
}

function toMatcher(pattern: string, limit: string, context: LimitContext): Matcher {
  const globs = expandGlobs(pattern.startsWith('@') ? pattern.slice(1) : pattern)
  if (!pattern.startsWith('@')) return (name) => globs.some((glob) => glob.test(name))
  const groups = context.groups.filter((group) => globs.some((glob) => glob.test(group.name)))
  if (groups.length === 0) {
    const known = context.groups.map((group) => group.name)
    const hint = known.length === 0 ? 'it has none: add "[name]" lines' : `groups: ${known.join(', ')}`
    throw new UsageError(`--limit "${limit}": no group "${pattern.slice(1)}" in ${context.file} (${hint})`)
  }

  const members = new Set(groups.flatMap((group) => group.hosts))
  return (name) => members.has(name)
}

function expandGlobs(pattern: string): RegExp[] {
  const expanded = expandHostRange(pattern)
  if (!expanded.ok) throw new UsageError(`--limit: ${expanded.message}`)
  return expanded.names.map((name) => globToRegExp(name))
}

export function globToRegExp(glob: string): RegExp {
  const body = [...glob]
    .map((char) => {
      if (char === '*') return '.*'
      if (char === '?') return '.'
      return char.replaceAll(/[$()*+.?[\\\]^{|}]/g, String.raw`\$&`)
    })
    .join('')
  return new RegExp(`^${body}$`)
}
