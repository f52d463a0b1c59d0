import {UsageError} from '../errors.js'
import {seededRandom} from './seeded-random.js'

export type PlacementMode = 'auto' | 'mod' | 'random'

export interface PlacementRequest {
  mode: PlacementMode
  /** Seed of `random`; chosen at random (and reported) when not given. */
  seed?: number | undefined
  /** Hosts already chosen for some files by an earlier, unfinished run: they keep them. */
  previous?: ReadonlyMap<string, string>
}

/** How a run placed its files, as the report says it. */
export interface PlacementSummary {
  /** What was used: `auto` resolves to `mod` when every file has a number, else `random`. */
  mode: 'mod' | 'random'
  /** The seed of `random`, when some file was placed at random in this run (not only resumed). */
  seed: number | undefined
  /** Files that keep the host an earlier, unfinished run gave them. */
  resumed: number
  /** When `auto` chose `random`: the files without a `_<number>` that made it (how many, the first few). */
  unnumbered: {count: number; examples: string[]}
}

export interface Placement extends PlacementSummary {
  /** File (relative path) -> host name. */
  hosts: Map<string, string>
}

/** Files named in a message about files without a number. */
const EXAMPLES = 3

/**
 * The number in the last `_<digits>` that ends a name or stands before a `.` of its extension:
 * `tweet_17.txt` -> 17, `day_2020_03.csv.gz` -> 3, `a_1b.txt` -> undefined.
 */
export function fileNumber(rel: string): number | undefined {
  const name = rel.slice(rel.lastIndexOf('/') + 1)
  const matches = [...name.matchAll(/_(\d+)(?=\.|$)/g)]
  const last = matches.at(-1)?.[1]
  return last === undefined ? undefined : Number(last)
}

/** Host index (0-based) for file number `n` over `count` hosts: `_1` goes to the first host. */
export function modHostIndex(n: number, count: number): number {
  return (((n - 1) % count) + count) % count
}

/**
 * Decides which host gets each file. `mod` follows the original tool: the file's number picks
 * host `(n - 1) mod N` in inventory order; files without a number are an error listing a few.
 * `random` is uniform and reproducible with the same seed. Files placed by an earlier run keep
 * their host, so resuming never puts a file on two hosts.
 */
export function planPlacement(files: string[], hosts: string[], request: PlacementRequest): Placement {
  if (hosts.length === 0) throw new UsageError('no hosts to place files on')
  const unnumbered = files.filter((file) => fileNumber(file) === undefined)
  const mode = request.mode === 'auto' ? (unnumbered.length === 0 ? 'mod' : 'random') : request.mode
  const examples = unnumbered.slice(0, EXAMPLES)
  if (mode === 'mod' && unnumbered.length > 0) {
    const more = unnumbered.length > EXAMPLES ? ` and ${unnumbered.length - EXAMPLES} more` : ''
    const names = examples.map((file) => `"${file}"`).join(', ')
    const count = unnumbered.length === 1 ? '1 file has' : `${unnumbered.length} files have`
    throw new UsageError(`${count} no _<number> for --placement mod: ${names}${more} (use --placement random)`)
  }

  const known = new Set(hosts)
  const earlier = (file: string): string | undefined => {
    const host = request.previous?.get(file)
    return host !== undefined && known.has(host) ? host : undefined
  }

  const resumed = files.filter((file) => earlier(file) !== undefined).length
  const fresh = mode === 'random' && resumed < files.length
  const seed = fresh ? (request.seed ?? Math.floor(Math.random() * 2 ** 31)) : undefined
  const next = seededRandom(seed ?? 0)
  const placed = new Map<string, string>()
  for (const file of files) {
    const pick =
      mode === 'mod'
        ? hosts[modHostIndex(fileNumber(file) ?? 1, hosts.length)]
        : hosts[Math.floor(next() * hosts.length)]
    placed.set(file, earlier(file) ?? pick ?? '')
  }

  const why = request.mode === 'auto' ? {count: unnumbered.length, examples} : {count: 0, examples: []}
  return {mode, seed, resumed, unnumbered: why, hosts: placed}
}
