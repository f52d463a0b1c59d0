import {join} from 'node:path'

import type {Failure} from '../host-result.js'
import type {RunWhat} from '../remote/run-what.js'

/** How a host's run ended. */
export type RunState = 'failed' | 'interrupted' | 'ok' | 'timeout' | 'unreachable'

/** The states `--rerun` can pick. */
export const RERUN_STATES = ['failed', 'unreachable', 'timeout'] as const satisfies readonly RunState[]
export type RerunState = (typeof RERUN_STATES)[number]

/** Milliseconds spent in each step on one host (absent: the step did not happen). */
export interface HostTimings {
  connectMs?: number
  uploadMs?: number
  runMs?: number
  filesMs?: number
  totalMs: number
}

/** One host's run, as summary.json and `--json` show it. */
export interface HostRun {
  host: string
  state: RunState
  /** The command's exit status; null when it never ended on its own (or never started). */
  exitCode: null | number
  /** The signal that ended the remote shell, if one did. */
  signal: null | string
  /** Why the host is not `ok` when the exit code does not say it. */
  failure?: Failure
  timings: HostTimings
  stdoutBytes: number
  stderrBytes: number
  /** Bytes of the files brought back from the host's output/ folder. */
  filesBytes: number
  files: number
  /** sha256 of stdout and of stderr, to fold identical outputs without reading them again. */
  stdoutSha256: string
  stderrSha256: string
  /** The first 4 KiB of stdout and of stderr as text (all of it when `stdoutBytes` is no more). */
  stdoutHead: string
  stderrHead: string
  /** The host's local folder: stdout, stderr, exit_code, timing, files/. */
  folder: string
  /** The local files holding the whole stdout and stderr. */
  stdoutFile: string
  stderrFile: string
}

/** A whole run: what ran where, and every host's outcome in inventory order. */
export interface RunReport {
  version: 1
  project: string
  runId: string
  /** The run's local folder, holding summary.json and one folder per host. */
  folder: string
  what: RunWhat
  remoteRoot: string
  startedAt: string
  finishedAt: string
  ms: number
  interrupted: boolean
  counts: Record<RunState, number>
  hosts: HostRun[]
}

/** How many hosts ended in each state. */
export function countStates(hosts: HostRun[]): Record<RunState, number> {
  const counts: Record<RunState, number> = {ok: 0, failed: 0, timeout: 0, unreachable: 0, interrupted: 0}
  for (const host of hosts) counts[host.state]++
  return counts
}

/** A host's record before anything happened on it: no output, no files, no exit status. */
export function emptyHostRun(host: string, folder: string, state: RunState): HostRun {
  return {
    host,
    state,
    exitCode: null,
    signal: null,
    timings: {totalMs: 0},
    stdoutBytes: 0,
    stderrBytes: 0,
    filesBytes: 0,
    files: 0,
    stdoutSha256: '',
    stderrSha256: '',
    stdoutHead: '',
    stderrHead: '',
    folder,
    stdoutFile: join(folder, 'stdout'),
    stderrFile: join(folder, 'stderr'),
  }
}
