import {located, UsageError} from '../errors.js'

/** One port of port.conf with the line it came from. */
export interface PortEntry {
  port: number
  /** 1-based line in the file. */
  line: number
}

export const MIN_PORT = 1024
export const MAX_PORT = 65_535

/**
 * Parses port.conf: one port per line, `#` comments, blank lines ignored, integers
 * 1024-65535. Throws a UsageError naming `file:line` on the first bad line, on a duplicate
 * (naming both lines), or when no port is listed.
 */
export function parsePorts(text: string, file: string): PortEntry[] {
  const entries: PortEntry[] = []
  const firstSeen = new Map<number, number>()
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = index + 1
    const hash = raw.indexOf('#')
    const content = (hash === -1 ? raw : raw.slice(0, hash)).trim()
    if (content === '') continue
    const fail = (message: string): never => {
      throw new UsageError(located(file, line, message))
    }

    if (/\s/.test(content)) fail(`expected one port per line, found "${content}"`)
    if (!/^\d+$/.test(content)) fail(`invalid port "${content}": expected an integer ${MIN_PORT}-${MAX_PORT}`)
    const port = Number(content)
    if (port < MIN_PORT || port > MAX_PORT) fail(`port ${content} out of range: expected ${MIN_PORT}-${MAX_PORT}`)
    const first = firstSeen.get(port)
    if (first !== undefined) fail(`duplicate port ${port} (first on line ${first})`)
    firstSeen.set(port, line)
    entries.push({port, line})
  }

  if (entries.length === 0) {
    throw new UsageError(located(file, undefined, `no ports listed (add one per line, e.g. "15001")`))
  }

  return entries
}
