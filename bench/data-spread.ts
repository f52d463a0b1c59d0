/**
 * `director data` throughput over 8 fleet hosts with md5 verification on the hosts, beside a
 * baseline that only copies: `tar cf - <that host's files> | ssh <host> 'tar xf - -C ...'` for
 * every host in parallel. Two data sets: the (2,000 files of 4 KiB named tweet_<n>.txt
 * and 4 files of 64 MiB), and the original tool's (22,280 tweets of 4 KiB).
 */
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {availableParallelism, tmpdir} from 'node:os'
import {basename, join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {type Fleet, startFleet} from '../fixtures/fleet/fleet.js'
import {fileNumber, modHostIndex} from '../src/core/data/plan-placement.js'
import {median} from './measure.js'

const bin = join(fileURLToPath(new URL('../../', import.meta.url)), 'bin', 'run.js')
const HOSTS = 8
const BIG_BYTES = 64 * 1024 * 1024

interface DataSet {
  /** Files of 4 KiB, tweet_<n>.txt. */
  small: number
  /** Files of 64 MiB, big_<n>.gz. */
  big: number
}

function writeData(dir: string, {small: SMALL, big: BIG}: DataSet): {files: string[]; bytes: number} {
  mkdirSync(dir, {recursive: true})
  const files: string[] = []
  const small = Buffer.alloc(4096, 7)
  for (let n = 1; n <= SMALL; n++) {
    small.writeUInt32LE(n, 0)
    writeFileSync(join(dir, `tweet_${n}.txt`), small)
    files.push(`tweet_${n}.txt`)
  }

  const big = Buffer.alloc(BIG_BYTES, 3)
  for (let n = 1; n <= BIG; n++) {
    big.writeUInt32LE(n, 0)
    writeFileSync(join(dir, `big_${n}.gz`), big)
    files.push(`big_${n}.gz`)
  }

  return {files, bytes: SMALL * 4096 + BIG * BIG_BYTES}
}

/** The baseline: one `tar | ssh tar` pipeline per host, all at once, same placement as director's. */
async function baseline(fleet: Fleet, dir: string, files: string[]): Promise<number> {
  const shares = fleet.hosts.map(() => [] as string[])
  for (const file of files) shares[modHostIndex(fileNumber(file) ?? 1, fleet.hosts.length)]?.push(file)
  const started = performance.now()
  await Promise.all(
    fleet.hosts.map(async (host, i) => {
      const list = join(dir, `.list-${i}`)
      writeFileSync(list, (shares[i] ?? []).join('\n'))
      const target = `baseline-${basename(dir)}`
      const script = `tar cf - -C '${dir}' -T '${list}' | ssh -F '${fleet.sshConfig}' ${host.address} 'mkdir -p ${target} && tar xf - -C ${target}'`
      const child = spawn('sh', ['-c', script], {stdio: 'inherit'})
      const code = await new Promise((resolve) => {
        child.on('close', resolve)
      })
      if (code !== 0) throw new Error(`bench: baseline to ${host.address} exited ${code}`)
    }),
  )
  return performance.now() - started
}

/**
 * CPU time the whole machine spent busy so far, in seconds (Linux: /proc/stat, user to softirq,
 * idle and iowait left out); undefined elsewhere. Director and its fleet share this machine's
 * cores, so what each side costs the machine tells more than wall time alone.
 */
function machineBusySeconds(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? []
    // user, nice, system, idle, iowait, irq, softirq: all but idle and iowait.
    const busy = [0, 1, 2, 5, 6].reduce((sum, index) => sum + (fields[index] ?? 0), 0)
    return busy / 100
  } catch {
    return undefined
  }
}

/** Rounds of each; the order alternates, so neither always runs on a warmer page cache. */
const ROUNDS = Number(process.env.DIRECTOR_BENCH_ROUNDS ?? 3)

/** One `director data` run over fresh data; its wall time and files delivered. */
function runDirector(fleet: Fleet, dir: string, project: string): {ms: number; delivered: number} {
  const started = performance.now()
  const run = spawnSync(process.execPath, [bin, 'data', dir, project, '--json'], {
    env: {...process.env, ...fleet.env()},
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  const ms = performance.now() - started
  if (run.status !== 0) throw new Error(`bench: director data exited ${run.status}: ${run.stderr}`)
  return {ms, delivered: (JSON.parse(run.stdout) as {delivered: number}).delivered}
}

/**
 * Where the data sets and the fleet (its hosts' homes) live: tmpfs when there is one. This
 * machine's ext4 has no journal, and there a file created within minutes of many deletions scans
 * the inodes they freed: on ext4, a 22,280-file baseline took 6.3 s in one round and 2.0 s in the
 * next, depending on what the bench (or a test run) had deleted before. Both sides write the same
 * files to the same place, so tmpfs takes that out of the comparison without favouring either.
 */
const BENCH_ROOT = process.env.DIRECTOR_BENCH_TMP ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir())

/**
 * Both data sets over one fleet: its hosts keep what they received until the end, so neither set
 * runs just after mass deletions on the hosts' file system.
 */
export async function benchDataSpread(): Promise<string[]> {
  const fleet = await startFleet({hosts: HOSTS, dir: mkdtempSync(join(BENCH_ROOT, 'director-bench-fleet-'))})
  try {
    return [
      `data: sources and ${HOSTS} fleet hosts under ${BENCH_ROOT}`,
      ...(await spreadAgainstBaseline(fleet, {small: 2000, big: 4})),
      ...(await spreadAgainstBaseline(fleet, {small: 22_280, big: 0})),
    ]
  } finally {
    await fleet.down()
  }
}

async function spreadAgainstBaseline(fleet: Fleet, set: DataSet): Promise<string[]> {
  const work = mkdtempSync(join(BENCH_ROOT, 'director-bench-data-'))
  const name = set.big > 0 ? `${set.small} x 4 KiB + ${set.big} x 64 MiB` : `${set.small} x 4 KiB`
  try {
    const lines: string[] = []
    const ratios: number[] = []
    const busyRuns = {baseline: [] as number[], director: [] as number[]}
    let bytes = 0
    for (let round = 1; round <= ROUNDS; round++) {
      const base = join(work, `base-${round}`)
      const data = join(work, `data-${round}`)
      const written = writeData(base, set)
      writeData(data, set)
      bytes = written.bytes
      let baseMs = 0
      let director = {ms: 0, delivered: 0}
      const busy = {baseline: 0, director: 0}
      const order = round % 2 === 1 ? ['baseline', 'director'] : ['director', 'baseline']
      for (const which of order) {
        // Neither run pays for writing back the other's files: that alone moved the ratio by 0.4.
        spawnSync('sync')
        const before = machineBusySeconds()
        if (which === 'baseline') baseMs = await baseline(fleet, base, written.files)
        else director = runDirector(fleet, data, `bench-${round}`)
        const after = machineBusySeconds()
        if (before !== undefined && after !== undefined) busy[which as keyof typeof busy] = after - before
      }

      ratios.push(director.ms / baseMs)
      busyRuns.director.push(busy.director)
      busyRuns.baseline.push(busy.baseline)
      lines.push(
        `data ${name}: round ${round} (${order.join(' first, then ')}): director ${(director.ms / 1000).toFixed(2)} s, ${rate(director.delivered, director.ms)} files/s, ${mbs(bytes, director.ms)} MB/s; baseline ${(baseMs / 1000).toFixed(2)} s, ${rate(written.files.length, baseMs)} files/s, ${mbs(bytes, baseMs)} MB/s; ratio ${(director.ms / baseMs).toFixed(2)}; machine CPU busy: director ${busy.director.toFixed(2)} s, baseline ${busy.baseline.toFixed(2)} s (${availableParallelism()} cores)`,
      )
      rmSync(base, {recursive: true, force: true})
      rmSync(data, {recursive: true, force: true})
    }

    return [
      `data ${name} over ${HOSTS} hosts (${(bytes / 1e6).toFixed(0)} MB); director verifies md5 on the hosts, the baseline (tar | ssh tar) does not`,
      ...lines,
      `data ${name}: director / baseline, median of ${ROUNDS} = ${median(ratios).toFixed(2)} (<= 1.0 is the target); median machine CPU busy: director ${median(busyRuns.director).toFixed(2)} s, baseline ${median(busyRuns.baseline).toFixed(2)} s`,
    ]
  } finally {
    rmSync(work, {recursive: true, force: true})
  }
}

function rate(count: number, wallMs: number): string {
  return (count / (wallMs / 1000)).toFixed(0)
}

function mbs(bytes: number, wallMs: number): string {
  return (bytes / 1e6 / (wallMs / 1000)).toFixed(1)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of await benchDataSpread()) console.log(line)
}
