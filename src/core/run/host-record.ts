import {writeFile} from 'node:fs/promises'

import type {HostFiles} from './local-layout.js'
import type {HostRun} from './run-report.js'

import {failure, type Failure, HostFailure} from '../host-result.js'

/** Why a host's step was cut short, from its signal: the per-host deadline or Ctrl-C. */
export function cutShort(signal: AbortSignal): undefined | {state: 'interrupted' | 'timeout'; failure: Failure} {
  if (!signal.aborted) return undefined
  const {reason} = signal
  if (reason instanceof HostFailure && reason.failure.kind === 'timeout')
    return {state: 'timeout', failure: reason.failure}
  return {state: 'interrupted', failure: failure('aborted', 'interrupted')}
}

/** A thrown error as a failure value. */
export function asFailure(error: unknown): Failure {
  if (error instanceof HostFailure) return error.failure
  return failure('remote-error', error instanceof Error ? error.message : String(error))
}

/**
 * Writes `exit_code` (the status, or `signal NAME`), `timing` (one `key value` per line)
 * and, for a host that did not end `ok`, `error` with the reason.
 */
export async function writeHostRecord(files: HostFiles, run: HostRun, startedAt: Date): Promise<void> {
  const exit = run.signal === null ? (run.exitCode === null ? undefined : String(run.exitCode)) : `signal ${run.signal}`
  const timings: Array<[string, number | string | undefined]> = [
    ['started', startedAt.toISOString()],
    ['finished', new Date(startedAt.getTime() + run.timings.totalMs).toISOString()],
    ['connect_ms', run.timings.connectMs],
    ['upload_ms', run.timings.uploadMs],
    ['run_ms', run.timings.runMs],
    ['files_ms', run.timings.filesMs],
    ['total_ms', run.timings.totalMs],
  ]
  const writes = [
    writeFile(
      files.timing,
      timings
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => `${key} ${value}\n`)
        .join(''),
    ),
  ]
  if (exit !== undefined) writes.push(writeFile(files.exitCode, `${exit}\n`))
  if (run.failure) writes.push(writeFile(files.error, `${run.state}: ${run.failure.kind}: ${run.failure.message}\n`))
  await Promise.all(writes)
}
