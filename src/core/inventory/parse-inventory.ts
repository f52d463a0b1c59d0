import {located, UsageError} from '../errors.js'
import {parseResourceWords, type Resources} from '../resources/resource-words.js'
import {type Fail, type HostEntry, parseHostEntry} from './parse-host-entry.js'

/** One target as written in clients.conf, after range expansion. */
export interface InventoryEntry extends HostEntry {
  /** 1-based line in the inventory file (its first listing). */
  line: number
  /** Capacity declared after the host (`node01 cpus=4 mem=8G`), for every host of a range. */
  resources?: Resources
}

/** A `[name]` section of clients.conf: the hosts listed under it, in file order. */
export interface InventoryGroup {
  name: string
  /** The line of its first `[name]` header. */
  line: number
  /** Host names (as in `InventoryEntry.name`). */
  hosts: string[]
}

/** A parsed clients.conf: every host once, in file order, and the groups in the order they appear. */
export interface ParsedInventory {
  entries: InventoryEntry[]
  groups: InventoryGroup[]
}

/** What follows `[` in a group header: a letter, then letters, digits, `_`, `.`, `-` (never `:`, so never IPv6). */
const GROUP_NAME = /^[A-Za-z][\w.-]*$/

/**
 * Parses clients.conf: one `[user@]host[:port]` per line, optionally followed by its declared
 * capacity (`cpus=4 mem=8G`, see parseResourceWords), `#` comments, blank lines ignored,
 * `[::1]:2222` for IPv6, `node[01-16]` ranges. A line `[name]` alone starts the group `name`
 * (pdsh's and ClusterShell's groups): the hosts below it, up to the next header, are in it;
 * hosts above the first header are in no group. A host may be listed again under another
 * group to be in both (its user, if any, given on its first line). Throws a UsageError naming
 * `file:line` on the first bad line, on a host listed twice in one group, or when no host is
 * listed.
 */
export function parseInventory(text: string, file: string): ParsedInventory {
  const entries: InventoryEntry[] = []
  const seen = new Map<string, {entry: InventoryEntry; written: string; groups: Set<string>}>()
  const groups = new Map<string, InventoryGroup>()
  let group: InventoryGroup | undefined
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = index + 1
    const content = stripComment(raw).trim()
    if (content === '') continue
    const fail: Fail = (message) => {
      throw new UsageError(located(file, line, message))
    }

    const header = parseGroupHeader(content, fail)
    if (header !== undefined) {
      group = groups.get(header) ?? {name: header, line, hosts: []}
      groups.set(header, group)
      continue
    }

    const [target = '', ...rest] = content.split(/\s+/)
    // After the host, only key=value words (resources): a second host name stays the old mistake.
    if (rest.some((word) => !word.includes('=')))
      fail(`expected one host per line, found ${rest.length + 1} words: "${content}"`)
    const resources = rest.length === 0 ? undefined : parseResourceWords(rest.join(' '), fail)
    for (const parsed of parseHostEntry(target, fail)) {
      const entry = resources === undefined ? parsed : {...parsed, resources}
      const written = entry.user === undefined ? entry.name : `${entry.user}@${entry.name}`
      const first = seen.get(entry.name)
      const context = group?.name ?? ''
      if (first === undefined) {
        const listed = {...entry, line}
        seen.set(entry.name, {entry: listed, written, groups: new Set([context])})
        entries.push(listed)
      } else if (first.groups.has(context)) {
        fail(`duplicate host "${entry.name}" (first on line ${first.entry.line})`)
      } else if (resources !== undefined) {
        fail(
          `host "${entry.name}" is listed first on line ${first.entry.line}: give its resources on its first line only`,
        )
      } else if (entry.user === undefined || entry.user === first.entry.user) {
        first.groups.add(context)
      } else {
        fail(
          `host "${entry.name}" is listed as "${first.written}" on line ${first.entry.line} and as "${written}" here: give its user on its first line only`,
        )
      }

      group?.hosts.push(entry.name)
    }
  }

  if (entries.length === 0) {
    throw new UsageError(
      located(file, undefined, 'no hosts listed (add one per line, e.g. "node01" or "admin@10.0.0.5:2222")'),
    )
  }

  return {entries, groups: [...groups.values()]}
}

/**
 * The group a `[name]` line starts, or undefined for a host line. A line starting with `[` is a
 * header unless a `:` (IPv6) or a digit (a range such as `[1-4].example.com`) follows.
 */
function parseGroupHeader(content: string, fail: Fail): string | undefined {
  if (!content.startsWith('[') || content.includes(':') || /^\[\d/.test(content)) return undefined
  const close = content.indexOf(']')
  if (close === -1) fail(`unclosed "[" in "${content}": a group header is "${content}]"`)
  if (close !== content.length - 1)
    fail(
      `unexpected "${content.slice(close + 1).trim()}" after "${content.slice(0, close + 1)}": a group header stands alone on its line`,
    )
  const name = content.slice(1, -1)
  if (!GROUP_NAME.test(name)) fail(`invalid group name "${name}" (a letter, then letters, digits, "_", "." or "-")`)
  return name
}

function stripComment(line: string): string {
  const hash = line.indexOf('#')
  return hash === -1 ? line : line.slice(0, hash)
}
