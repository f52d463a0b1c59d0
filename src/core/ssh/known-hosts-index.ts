import {compileHostField, type HostFieldMatcher, hostToken, type KnownHostEntry, plainHostNames} from './known-hosts.js'

/**
 * The host keys of one list of known_hosts files, indexed once per command so that a lookup
 * costs the same whatever the number of lines: plain names (and `[host]:port`) in a Map, wildcard
 * and negated patterns compiled once, hashed entries tried with one HMAC each per host name, and
 * each host name's answer kept. Answers are those of matching every entry in file order.
 */
export class KnownHostsIndex {
  private readonly exact = new Map<string, Ranked[]>()
  private readonly patterned: Array<{entry: Ranked; matches: HostFieldMatcher}> = []
  private readonly revokedKeys = new Map<string, Ranked>()
  private readonly answers = new Map<string, KnownHostEntry[]>()
  private added = 0

  /** `files` give the order of entries across files: earlier files' entries come first. */
  constructor(
    private readonly files: readonly string[],
    entries: readonly KnownHostEntry[] = [],
  ) {
    for (const entry of entries) this.add(entry)
  }

  /** Adds an entry (a host just accepted): later lookups see it. */
  add(entry: KnownHostEntry): void {
    const ranked = {entry, rank: this.files.indexOf(entry.file), order: this.added++}
    this.answers.clear()
    if (entry.marker === 'revoked') {
      if (!this.revokedKeys.has(entry.key)) this.revokedKeys.set(entry.key, ranked)
      return
    }

    const names = plainHostNames(entry.patterns)
    if (names === undefined) {
      this.patterned.push({entry: ranked, matches: compileHostField(entry.patterns)})
      return
    }

    for (const name of new Set(names)) {
      const list = this.exact.get(name)
      if (list === undefined) this.exact.set(name, [ranked])
      else list.push(ranked)
    }
  }

  /** The host key lines (not `@revoked`) that name this host, in file order. */
  matching(host: string, port: number): KnownHostEntry[] {
    // OpenSSH lowercases the name before matching and before hashing it.
    const token = hostToken(host.toLowerCase(), port)
    const known = this.answers.get(token)
    if (known !== undefined) return known
    const found = [
      ...(this.exact.get(token) ?? []),
      ...this.patterned.filter(({matches}) => matches(token)).map(({entry}) => entry),
    ]
    const answer = found.sort(byFileOrder).map(({entry}) => entry)
    this.answers.set(token, answer)
    return answer
  }

  /** The first `@revoked` line holding this key (base64), whatever host it names. */
  revoked(key: string): KnownHostEntry | undefined {
    return this.revokedKeys.get(key)?.entry
  }
}

interface Ranked {
  entry: KnownHostEntry
  /** The entry's file's place in the list. */
  rank: number
  /** The order entries were added in: file order within a file. */
  order: number
}

function byFileOrder(a: Ranked, b: Ranked): number {
  return a.rank - b.rank || a.entry.line - b.entry.line || a.order - b.order
}
