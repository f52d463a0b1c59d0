import type {Host} from '../inventory/host.js'
import type {SshSession} from '../ssh/session.js'
import type {TaskRecord} from './task-store.js'
import type {ListTasksOptions, TaskListReport} from './types.js'

import {runOverSsh} from '../fanout/run-over-ssh.js'
import {failure, HostFailure} from '../host-result.js'
import {posixShell} from '../remote/shell-quote.js'
import {parseTaskListing, type TaskListing} from './parse-task-listing.js'
import {type HistoryFilter, selectTaskHistory} from './task-history.js'
import {listTasksScript} from './task-scripts.js'
import {buildTaskViews, countStates, foreignSandboxes, type HostListing} from './task-view.js'

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
