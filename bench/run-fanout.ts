// `director run -c true` over 16 and 64 fleet hosts against `pdsh -R ssh` at the same
// concurrency: median wall time of 5 runs of each whole command, and the ratio.
// Run alone with `node dist/bench/run-fanout.js`, or with the others by `npm run bench`.
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import type {RunReport} from '../src/core/run/run-report.js'

import {type Fleet, startFleet} from '../fixtures/fleet/fleet.js'

const RUNS = 5
const SIZES = [16, 64]
const CONCURRENCY = 64
const director = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

interface Timed {
  code: null | number
  stdout: string
  stderr: string
  ms: number
}

async function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Timed> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    child.once('error', reject)
    child.once('close', (code) => resolve({code, stdout, stderr, ms: performance.now() - started}))
  })
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/** One timed `director run -c true`; throws unless every host ran it and exited 0. */
async function runDirector(
  fleet: Fleet,
  clients: string,
  out: string,
  hosts: number,
): Promise<Timed & {report: RunReport}> {
  const env = {...process.env, ...fleet.env(), NO_COLOR: '1'}
  const args = ['run', '-c', 'true', '--clients', clients, '-f', String(CONCURRENCY), '--out', out, '--json']
  const result = await timed(process.execPath, [director, ...args], env)
  const report = JSON.parse(result.stdout) as RunReport
  if (result.code !== 0 || report.counts.ok !== hosts)
    throw new Error(
      `director run failed (${result.code}): ${JSON.stringify(report.counts)} ${report.hosts[0]?.failure?.message}`,
    )
  return {...result, report}
}

/** Where a director run's time went on its hosts: the median of each step. */
function profile(report: RunReport): string {
  const step = (pick: (host: RunReport['hosts'][number]) => number | undefined): number =>
    Math.round(median(report.hosts.map((host) => pick(host) ?? 0)))
  const skipped = report.hosts.filter((host) => host.timings.filesMs === undefined).length
  return (
    `per host (median ms): connect ${step((h) => h.timings.connectMs)}, run ${step((h) => h.timings.runMs)}, ` +
    `total ${step((h) => h.timings.totalMs)}; files exec skipped on ${skipped}/${report.hosts.length} hosts`
  )
}

/**
 * One timed pdsh; throws unless it exited 0 (-S: the largest remote status). Its stderr is not
 * judged: the hosts' login shell may print there (root's bashrc does on some machines).
 */
async function runPdsh(fleet: Fleet, range: string, command: string): Promise<Timed> {
  // No -l%u (pdsh's default): each host's own user comes from ssh_config.
  const env = {...process.env, PDSH_SSH_ARGS: `-F ${fleet.sshConfig} -oBatchMode=yes -x -a %h`}
  const result = await timed('pdsh', ['-S', '-R', 'ssh', '-f', String(CONCURRENCY), '-w', range, command], env)
  if (result.code !== 0) throw new Error(`pdsh failed (${result.code}): ${result.stderr}`)
  return result
}

/** Starts a 64-host fleet, times both tools and returns printable lines. */
export async function benchRunFanout(): Promise<string[]> {
  const fleet = await startFleet({hosts: Math.max(...SIZES)})
  const out = mkdtempSync(join(tmpdir(), 'director-bench-run-'))
  const lines = [`director run -c true vs pdsh -R ssh, -f ${CONCURRENCY}, median of ${RUNS} (ms)`]
  try {
    for (const size of SIZES) {
      const clients = fleet.writeClientsConf(
        fleet.hosts.slice(0, size).map((host) => host.address),
        `bench-${size}.conf`,
      )
      const range = `127.0.1.[1-${size}]`
      const check = await runPdsh(fleet, range, 'echo ok')
      const answered = check.stdout.split('\n').filter((line) => line.endsWith(': ok')).length
      if (answered !== size) throw new Error(`pdsh reached ${answered} of ${size} hosts`)
      await runDirector(fleet, clients, out, size)
      const directorMs: number[] = []
      const pdshMs: number[] = []
      let last: RunReport | undefined
      for (let i = 0; i < RUNS; i++) {
        const run = await runDirector(fleet, clients, out, size)
        directorMs.push(run.ms)
        last = run.report
        pdshMs.push((await runPdsh(fleet, range, 'true')).ms)
      }

      const d = median(directorMs)
      const p = median(pdshMs)
      lines.push(
        `${size} hosts: director ${Math.round(d)}, pdsh ${Math.round(p)}, ratio ${(d / p).toFixed(2)} ` +
          `(director runs ${directorMs.map((ms) => Math.round(ms)).join(' ')}; pdsh ${pdshMs.map((ms) => Math.round(ms)).join(' ')})`,
      )
      if (last) lines.push(`  director ${profile(last)}`)
    }
  } finally {
    await fleet.down()
    rmSync(out, {recursive: true, force: true})
  }

  return lines
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await benchRunFanout()) console.log(line)
}
