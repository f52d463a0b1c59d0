import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'

export interface Timed {
  ms: number
  status: number | null
  /** Peak resident set size in KiB, when GNU time is there to tell. */
  maxRssKiB: number | undefined
  stdout: string
}

const GNU_TIME = '/usr/bin/time'

/** Runs a command once and times it; with GNU time, also its peak RSS. */
export function timeCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Timed {
  const [command = '', ...args] = argv
  const useTime = existsSync(GNU_TIME)
  const started = performance.now()
  const result = useTime
    ? spawnSync(GNU_TIME, ['-f', 'maxrss=%M', command, ...args], {encoding: 'utf8', env, timeout: 300_000})
    : spawnSync(command, args, {encoding: 'utf8', env, timeout: 300_000})
  const ms = performance.now() - started
  const rss = /maxrss=(\d+)/.exec(result.stderr ?? '')
  return {ms, status: result.status, maxRssKiB: rss ? Number(rss[1]) : undefined, stdout: result.stdout ?? ''}
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

/** Runs a command `times` times; fails loudly when a run does not exit as expected. */
export function medianOf(times: number, argv: string[], env?: NodeJS.ProcessEnv, expectedStatus = 0): Timed {
  const runs = Array.from({length: times}, () => {
    const run = timeCommand(argv, env)
    if (run.status !== expectedStatus) {
      throw new Error(`bench: ${argv.join(' ')} exited ${run.status}, expected ${expectedStatus}`)
    }

    return run
  })
  const rss = runs.map((run) => run.maxRssKiB).filter((kib) => kib !== undefined)
  return {
    ms: median(runs.map((run) => run.ms)),
    status: expectedStatus,
    maxRssKiB: rss.length > 0 ? Math.max(...rss) : undefined,
    stdout: runs[0]?.stdout ?? '',
  }
}

/** Installs a Debian package for the benchmark when its command is missing (root only). */
export function ensureCommand(command: string, debianPackage: string): boolean {
  const which = spawnSync('sh', ['-c', `command -v ${command}`], {encoding: 'utf8'})
  if (which.status === 0) return true
  if (process.getuid?.() !== 0) return false
  console.error(`bench: installing ${debianPackage} for ${command}`)
  spawnSync('apt-get', ['install', '-y', '-qq', debianPackage], {stdio: 'ignore', timeout: 600_000})
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0
}
