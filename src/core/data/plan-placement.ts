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

export interface Placement {
  /** What was used: `auto` resolves to `mod` when every file has a number, else `random`. */
  mode: 'mod' | 'random'
  seed: number | undefined
  /** File (relative path) -> host name. */
  hosts: Map<string, string>
}

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
  if (mode === 'mod' && unnumbered.length > 0) {
    const examples = unnumbered
      .slice(0, 3)
      .map((file) => `"${file}"`)
      .join(', ')
    const more = unnumbered.length > 3 ? ` and ${unnumbered.length - 3} more` : ''
    throw new UsageError(
      `${unnumbered.length} files have no _<number> for --placement mod: ${examples}${more} (use --placement random)`,
    )
  }

  const seed = mode === 'random' ? (request.seed ?? Math.floor(Math.random() * 2 ** 31)) : undefined
  const next = seededRandom(seed ?? 0)
  const known = new Set(hosts)
  const placed = new Map<string, string>()
  for (const file of files) {
    const pick =
      mode === 'mod'
        ? hosts[modHostIndex(fileNumber(file) ?? 1, hosts.length)]
        : hosts[Math.floor(next() * hosts.length)]
    const earlier = request.previous?.get(file)
    placed.set(file, earlier !== undefined && known.has(earlier) ? earlier : (pick ?? ''))
  }

  return {mode, seed, hosts: placed}
}
