// 100 fleet hosts through one bastion (-J, one login carrying every host's connection) against
// the same 100 hosts direct, `director run -c true -f 64`: median wall of DIRECTOR_BENCH_ROUNDS
// rounds (default 3, alternating which goes first), the ratio (target: within 1.5x), and one run
// per --jump-concurrency value, from which its default was chosen.
// Run alone with `node dist/bench/jump.js`, or with the others by `npm run bench -- jump`.
import {mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import type {RunReport} from '../src/core/run/run-report.js'

import {type Fleet, startFleet} from '../fixtures/fleet/fleet.js'
import {median, timeCommand} from './measure.js'

const TARGETS = 100
const BASTION = TARGETS + 1
const CONCURRENCY = 64
const JUMP_CONCURRENCIES = [1, 4, 8, 16, 32, 64]
const director = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

/** One timed `director run -c true`; throws unless every host ran it. */
function runOnce(fleet: Fleet, clients: string, out: string, extra: string[]): {ms: number; report: RunReport} {
  const env = {...process.env, ...fleet.env(), NO_COLOR: '1'}
  const args = ['run', '-c', 'true', '--clients', clients, '-f', String(CONCURRENCY), '--out', out, '--json', ...extra]
  const run = timeCommand([process.execPath, director, ...args], env)
  const report = JSON.parse(run.stdout) as RunReport
  if (run.status !== 0 || report.counts.ok !== TARGETS)
    throw new Error(
      `director ${extra.join(' ')} failed (${run.status}): ${report.hosts.find((h) => h.failure)?.failure?.message}`,
    )
  return {ms: run.ms, report}
}

/** The bastion's logins and forwarded connections (its sshd logs at DEBUG1) during `work`. */
function countOnBastion<T>(fleet: Fleet, work: () => T): T & {logins: number; forwards: number} {
  const log = fleet.host(BASTION).logFile
  const from = statSync(log).size
  const result = work()
  const text = readFileSync(log).subarray(from).toString('utf8')
  return {
    ...result,
    logins: text.match(/Accepted publickey for /g)?.length ?? 0,
    forwards: text.match(/server_request_direct_tcpip: /g)?.length ?? 0,
  }
}

const connectMs = (report: RunReport): number => Math.round(median(report.hosts.map((h) => h.timings.connectMs ?? 0)))

export async function benchJump(): Promise<string[]> {
  const rounds = Number(process.env.DIRECTOR_BENCH_ROUNDS ?? 3)
  const fleet = await startFleet({hosts: BASTION, bastionHost: BASTION})
  const out = mkdtempSync(join(tmpdir(), 'director-bench-jump-'))
  const bastion = ['-J', fleet.host(BASTION).address]
  const lines = [`director run -c true, ${TARGETS} hosts, -f ${CONCURRENCY}: direct vs through one bastion (ms)`]
  try {
    const clients = fleet.writeClientsConf(
      fleet.hosts.slice(0, TARGETS).map((host) => host.address),
      'bench-jump.conf',
    )
    runOnce(fleet, clients, out, [])
    runOnce(fleet, clients, out, bastion)
    const direct: number[] = []
    const jumped: number[] = []
    let last: ReturnType<typeof countOnBastion<ReturnType<typeof runOnce>>> | undefined
    for (let round = 0; round < rounds; round++) {
      const jump = (): void => {
        last = countOnBastion(fleet, () => runOnce(fleet, clients, out, bastion))
        jumped.push(last.ms)
      }

      if (round % 2 === 1) jump()
      direct.push(runOnce(fleet, clients, out, []).ms)
      if (round % 2 === 0) jump()
    }

    const d = median(direct)
    const j = median(jumped)
    const all = (values: number[]): string => values.map((ms) => Math.round(ms)).join(' ')
    lines.push(
      `direct ${Math.round(d)}, through one bastion ${Math.round(j)}, ratio ${(j / d).toFixed(2)} (target <= 1.5); ` +
        `runs: direct ${all(direct)}; bastion ${all(jumped)}`,
    )
    if (last)
      lines.push(
        `  last bastion run: ${last.logins} login(s) on the bastion, ${last.forwards} forwarded connections; ` +
          `median connect per host ${connectMs(last.report)} ms`,
      )
    for (const jumpConcurrency of JUMP_CONCURRENCIES) {
      const run = runOnce(fleet, clients, out, [...bastion, '--jump-concurrency', String(jumpConcurrency)])
      lines.push(
        `  --jump-concurrency ${jumpConcurrency}: ${Math.round(run.ms)} ms, median connect per host ${connectMs(run.report)} ms`,
      )
    }
  } finally {
    await fleet.down()
    rmSync(out, {recursive: true, force: true})
  }

  return lines
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await benchJump()) console.log(line)
}
