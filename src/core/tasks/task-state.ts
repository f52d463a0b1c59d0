import {constants} from 'node:os'

import type {Resources} from '../resources/resource-words.js'

/** Task states as cluster managers (Mesos, Nomad) name them. */
export type TaskState = 'staging' | 'running' | 'finished' | 'failed' | 'killed' | 'lost'

export const TASK_STATES: readonly TaskState[] = ['staging', 'running', 'finished', 'failed', 'killed', 'lost']

/** A host's own identity, read on the host: its machine and its current boot. */
export interface HostIdentity {
  /** /etc/machine-id, else `hostname:<uname -n>`. */
  machine: string
  /** /proc/sys/kernel/random/boot_id: changes on every boot, so a pid from an older boot means nothing. */
  boot: string
}

/** Who started a task, as its sandbox's `owner` file says: the inventory name and the host's identity. */
export interface SandboxOwner extends HostIdentity {
  host: string
}

/** What a host's sandbox of one task says, as parseTaskListing reads it. */
export interface SandboxFields {
  id: string
  project: string | undefined
  /** The task's process (the user's command). */
  pid: number | undefined
  /** Its process group: the wrapper, leader of the session setsid made. */
  pgid: number | undefined
  /** Field 22 of /proc/<pid>/stat when it started. */
  startTime: string | undefined
  exitCode: number | undefined
  /** A `killed` marker: director stopped it. */
  killed: boolean
  /** When director stopped it (the marker's content), ISO 8601. */
  killedAt: string | undefined
  /** The last signal `task stop` sent the group: `TERM`, or `KILL` after the grace period. */
  signal: string | undefined
  /** ISO 8601, from the host's clock. */
  startedAt: string | undefined
  /** When the command ended (written with exit_code), ISO 8601. */
  endedAt: string | undefined
  /** The pid still runs and its start time is the recorded one. */
  alive: boolean
  /** The wrapper still runs: the exit code is about to be written. */
  wrapperAlive: boolean
  /** Who started it (the `owner` file); undefined in a sandbox of the older layout. */
  owner: SandboxOwner | undefined
  /** Found at the older layout's place, `<remote-root>/tasks/<id>/`, not in a host's folder. */
  legacy: boolean
  /** Started in an earlier boot of this host (set by ownSandboxes): its process is gone. */
  rebooted?: boolean
  /** What it asked for (`--cpus`, `--mem`: the sandbox's `resources` file), when it did. */
  request?: Resources
}

/** The state a sandbox shows; `lost` when the process is gone without an exit code. */
export function deriveTaskState(fields: SandboxFields): TaskState {
  if (fields.killed) return 'killed'
  if (fields.exitCode !== undefined) return fields.exitCode === 0 ? 'finished' : 'failed'
  if (fields.pid === undefined) return fields.wrapperAlive ? 'staging' : 'lost'
  return fields.alive || fields.wrapperAlive ? 'running' : 'lost'
}

/** True for the states a task never leaves. */
export function isTerminal(state: TaskState): boolean {
  return state !== 'staging' && state !== 'running'
}

/**
 * The signal a killed task died of, by name (`SIGTERM`): from its exit code (128+N, as the
 * wrapper saw it), else, when the wrapper itself was killed, the last one `task stop` sent.
 * Null for a task that was not killed, or that handled the signal and exited with a code of its own.
 */
export function killSignal(fields: SandboxFields): string | null {
  if (!fields.killed) return null
  if (fields.exitCode !== undefined) return fields.exitCode > 128 ? signalName(fields.exitCode - 128) : null
  const name = `SIG${fields.signal}`
  return fields.signal !== undefined && name in constants.signals ? name : null
}

function signalName(number: number): string | null {
  const entry = Object.entries(constants.signals).find(([, n]) => n === number)
  return entry === undefined ? null : entry[0]
}
