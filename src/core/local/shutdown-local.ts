import {type Failure} from '../host-result.js'
import {failure} from '../host-result.js'
import {isSameProcess, waitForExit} from './process-info.js'
import {sendLine} from './send-line.js'
import {readState, type ServiceRecord, updateState} from './state-file.js'

export type ShutdownResult =
  | {port: number; ok: false; pid: number; failure: Failure}
  | {
      port: number
      ok: true
      pid: number
      /** stopped: by the `shutdown` message; terminated: by SIGTERM; stale: was not running. */
      outcome: 'stale' | 'stopped' | 'terminated'
    }

export interface ShutdownReport {
  stateFile: string
  /** One result per service of the state file, by port; empty when nothing was recorded. */
  results: ShutdownResult[]
}

export interface ShutdownLocalOptions {
  stateDir: string
  /** Only the services on these ports; every service of the state file when undefined. */
  ports?: number[] | undefined
  timeoutMs: number
}

type Outcome = {ok: false; failure: Failure} | {ok: true; outcome: 'stale' | 'stopped' | 'terminated'}

/**
 * Stops every service of the state file (or those on `ports`): sends `shutdown`, waits for the process to exit,
 * and only if it is still our process (same /proc start time) sends SIGTERM. Each wait is
 * bounded by `timeoutMs`. Stopped and stale services leave the state file; idempotent.
 */
export async function shutdownLocal(options: ShutdownLocalOptions): Promise<ShutdownReport> {
  const {ports} = options
  const all = readState(options.stateDir)
  const state = {...all, services: all.services.filter((s) => ports === undefined || ports.includes(s.port))}
  // Foreground services share one pid: one wait and at most one SIGTERM per process.
  const byPid = new Map<number, ServiceRecord[]>()
  for (const record of state.services) byPid.set(record.pid, [...(byPid.get(record.pid) ?? []), record])
  const outcomes = new Map<ServiceRecord, Outcome>()
  await Promise.all(
    [...byPid.values()].map(async (records) => {
      const outcome = await stopProcess(records, options.timeoutMs)
      for (const record of records) outcomes.set(record, outcome)
    }),
  )
  const results = state.services
    .map((record): ShutdownResult => {
      const outcome = outcomes.get(record) ?? {ok: false, failure: failure('error', 'not handled')}
      return outcome.ok
        ? {port: record.port, ok: true, pid: record.pid, outcome: outcome.outcome}
        : {port: record.port, ok: false, pid: record.pid, failure: outcome.failure}
    })
    .sort((a, b) => a.port - b.port)
  const done = (s: ServiceRecord): boolean => results.some((r) => r.ok && r.port === s.port && r.pid === s.pid)
  updateState(options.stateDir, (services) => services.filter((s) => !done(s)))
  return {stateFile: state.path, results}
}

async function stopProcess(records: ServiceRecord[], timeoutMs: number): Promise<Outcome> {
  const [first] = records
  if (first === undefined) return {ok: true, outcome: 'stale'}
  const {pid, procStartTime} = first
  if (!isSameProcess(pid, procStartTime)) return {ok: true, outcome: 'stale'}
  const replies = await Promise.all(
    records.map(async (r) => sendLine({host: r.host, port: r.port, line: 'shutdown', timeoutMs})),
  )
  // Only worth waiting when every service took the message.
  if (replies.every((reply) => reply.ok) && (await waitForExit(pid, procStartTime, timeoutMs))) {
    return {ok: true, outcome: 'stopped'}
  }

  if (!isSameProcess(pid, procStartTime)) return {ok: true, outcome: 'stopped'}
  try {
    process.kill(pid, 'SIGTERM')
  } catch (error) {
    const {code} = error as NodeJS.ErrnoException
    if (code === 'ESRCH') return {ok: true, outcome: 'stopped'}
    return {ok: false, failure: failure('error', `cannot send SIGTERM to pid ${pid}: ${code ?? String(error)}`)}
  }

  if (await waitForExit(pid, procStartTime, timeoutMs)) return {ok: true, outcome: 'terminated'}
  return {
    ok: false,
    failure: failure('still-running', `pid ${pid} still runs ${timeoutMs} ms after SIGTERM; stop it by hand`),
  }
}
