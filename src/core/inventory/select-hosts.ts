import type {Host} from './host.js'

import {UsageError} from '../errors.js'
import {expandHostRange} from './expand-host-range.js'

/**
 * Keeps the hosts whose name matches `--limit`: comma-separated patterns, each a glob
 * (`web*`, `127.0.1.?`) and/or a range (`node[01-04]`), matched against the whole name.
 * A `!` before a pattern excludes. A limit that matches nothing is a usage error.
 */
export function selectHosts<T extends Pick<Host, 'name'>>(hosts: T[], limit: string | undefined, file: string): T[] {
  if (limit === undefined || limit.trim() === '') return hosts
  const patterns = splitPatterns(limit)
  const include = patterns.filter((p) => !p.startsWith('!'))
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1))
  const includeMatchers = include.flatMap((pattern) => toMatchers(pattern))
  const excludeMatchers = exclude.flatMap((pattern) => toMatchers(pattern))
  const selected = hosts.filter(
    (host) =>
      (includeMatchers.length === 0 || includeMatchers.some((m) => m.test(host.name))) &&
      !excludeMatchers.some((m) => m.test(host.name)),
  )
  if (selected.length === 0) throw new UsageError(`--limit "${limit}" matches no host in ${file}`)
  return selected
}

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

function toMatchers(pattern: string): RegExp[] {
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
