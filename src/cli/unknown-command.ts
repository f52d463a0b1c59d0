/** The command ids (`task:start`) and topics (`task`) a mistyped command is compared with. */
export interface KnownCommands {
  commands: string[]
  topics: string[]
}

/**
 * The one-line answer to a command that does not exist, `id` as oclif gives it (words joined by
 * `:`, `task:strat`): words after a command are arguments it does not take; a word after a topic
 * gets the nearest of that topic's commands and the list of them; a mistyped first word gets
 * the nearest command ("did you mean"); a flag before the command says where it goes. `argv`
 * is what followed `id`.
 */
export function unknownCommandMessage(id: string, known: KnownCommands, bin: string, argv: string[] = []): string {
  const shown = (name: string): string => name.replaceAll(':', ' ')
  // `director --json status`: oclif takes the first word for the command.
  if (id.startsWith('-')) {
    const [next] = argv
    const example =
      next !== undefined && known.commands.includes(next) ? `${bin} ${shown(next)} ${id}` : `${bin} status ${id}`
    return `"${id}" comes before the command: the command comes first, then its flags, e.g. "${example}"`
  }

  const words = id.split(':')
  const prefixes = words.map((_, i) => words.slice(0, words.length - 1 - i).join(':')).filter((p) => p !== '')
  const command = prefixes.find((prefix) => known.commands.includes(prefix))
  if (command !== undefined) {
    const extra = words.slice(command.split(':').length).join(' ')
    return `unexpected argument "${extra}" to "${shown(command)}" (see ${bin} ${shown(command)} --help)`
  }

  const childrenOf = (topic: string): string[] =>
    known.commands.filter((name) => name.startsWith(`${topic}:`) && !name.slice(topic.length + 1).includes(':'))
  const topic = prefixes.find((prefix) => known.topics.includes(prefix) && childrenOf(prefix).length > 0)
  if (topic !== undefined) {
    const children = childrenOf(topic)
    const typed = words.slice(0, topic.split(':').length + 1).join(':')
    const nearest = nearestName(typed, children)
    const guess = nearest === undefined ? '' : `: did you mean "${shown(nearest)}"?`
    const list = children.map((name) => shown(name)).sort()
    return `unknown command "${shown(typed)}"${guess} (${shown(topic)} commands: ${list.join(', ')})`
  }

  const [first = id, ...rest] = words
  const topLevel = [...known.commands, ...known.topics].filter((name) => !name.includes(':'))
  const nearest = nearestName(first, [...new Set(topLevel)])
  const full = nearest === undefined ? undefined : [nearest, ...rest].join(':')
  const guess =
    nearest === undefined
      ? ''
      : `: did you mean "${shown(full !== undefined && known.commands.includes(full) ? full : nearest)}"?`
  return `unknown command "${first}"${guess} (see ${bin} --help)`
}

/** The candidate closest to `typed` (a unique prefix, or a few typos away), if any is close. */
export function nearestName(typed: string, candidates: string[]): string | undefined {
  const prefixed = candidates.filter((name) => typed.length >= 2 && name.startsWith(typed))
  if (prefixed.length === 1) return prefixed[0]
  const limit = Math.max(1, Math.floor(typed.length / 3))
  let best: {name: string; distance: number} | undefined
  for (const name of candidates) {
    const distance = editDistance(typed, name)
    if (distance <= limit && (best === undefined || distance < best.distance)) best = {name, distance}
  }

  return best?.name
}

/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({length: a.length + 1}, (_, i) =>
    Array.from({length: b.length + 1}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        distance = Math.min(distance, at(i - 2, j - 2) + 1)
      const row = rows[i]
      if (row) row[j] = distance
    }

  return at(a.length, b.length)
}
