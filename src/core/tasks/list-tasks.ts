import type {FanOutOptions} from '../fanout/run-on-hosts.js'
import type {Host} from '../inventory/host.js'
import type {ConnectOptions} from '../ssh/connect.js'
import type {SshSession} from '../ssh/session.js'
import type {TaskRecord} from './task-store.js'

import {runOverSsh} from '../fanout/run-over-ssh.js'
import {failure, HostFailure} from '../host-result.js'
import {posixShell} from '../remote/shell-quote.js'
import {parseTaskListing, type TaskListing} from './parse-task-listing.js'
import {type HistoryFilter, selectTaskHistory} from './task-history.js'
import {listTasksScript} from './task-scripts.js'
import {type TaskState} from './task-state.js'
import {
  buildTaskViews,
  countStates,
  type ForeignSandbox,
  foreignSandboxes,
  type HostListing,
  type TaskView,
} from './task-view.js'

/** What `task list` reports. */
export interface TaskListReport {
  project: string | null
  tasks: TaskView[]
  counts: Record<TaskState, number>
  /** Ended tasks left out (older than the recent ones shown; see task-history.ts). */
  hidden: number
  /** Hosts that could not be asked, with why. */
  unreachable: Array<{host: string; reason: string}>
  /** Sandboxes a host saw and left alone: another host's, or ownerless and unrecorded (see task-owner.ts). */
  foreign: ForeignSandbox[]
}

export interface ListTasksOptions {
  connect: ConnectOptions
  fanOut: FanOutOptions
  remoteRoot: string
  project?: string | undefined
}

/** Reads the sandboxes of one host (its folder, and the older layout's) with ONE exec. */
export async function readHostTasks(
  session: SshSession,
  remoteRoot: string,
  signal?: AbortSignal,
): Promise<TaskListing> {
  const result = await session.exec(posixShell(listTasksScript(remoteRoot, session.host.name)), {
    signal,
    maxOutput: 64 * 1024 * 1024,
  })
  if (result.code !== 0) {
    const detail = result.stderr.trim() || `exit ${result.code ?? result.signal}`
    throw new HostFailure(failure('remote-error', `${session.host.name}: cannot list tasks: ${detail}`))
  }

  return parseTaskListing(result.stdout)
}

/** Asks every host (one connection and one exec each) for its tasks. */
export async function listHostTasks(hosts: Host[], options: ListTasksOptions): Promise<HostListing[]> {
  const results = await runOverSsh(hosts, options.connect, options.fanOut, async (session, signal) =>
    readHostTasks(session, options.remoteRoot, signal),
  )
  return results.map((result) =>
    result.ok
      ? {host: result.host, ok: true, listing: result.value}
      : {host: result.host, ok: false, failure: result.failure},
  )
}

const EVERY_TASK: HistoryFilter = {all: true}

/**
 * Lists the tasks of the hosts (of one project, when given): their state from each sandbox,
 * and the recorded tasks of unreachable hosts as `lost`, with the reason. With a history
 * filter, only the tasks it selects (by default every live one and the recent ended ones).
 */
export async function listTasks(
  hosts: Host[],
  records: TaskRecord[],
  options: ListTasksOptions,
  history: HistoryFilter = EVERY_TASK,
): Promise<TaskListReport> {
  const listings = await listHostTasks(hosts, options)
  const {tasks, hidden} = selectTaskHistory(buildTaskViews(listings, records, options.project), history)
  const unreachable = listings.flatMap((answer) =>
    answer.ok ? [] : [{host: answer.host, reason: answer.failure.message}],
  )
  const foreign = foreignSandboxes(listings, records, options.project)
  return {project: options.project ?? null, tasks, counts: countStates(tasks), hidden, unreachable, foreign}
}
