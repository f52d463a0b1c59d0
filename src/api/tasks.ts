import type {OfferPolicy} from '../core/resources/plan-offer-placement.js'
import type {CoordinationStore} from '../core/store/types.js'
import type {TaskState} from '../core/tasks/task-state.js'
import type {
  LogsReport,
  PruneReport,
  StartReport,
  StopReport,
  StopSelection,
  TaskListReport,
} from '../core/tasks/types.js'

import {resolveStateDir} from '../core/local/state-file.js'
import {DEFAULT_PROJECT, DEFAULT_REMOTE_ROOT} from '../core/remote/remote-path.js'
import {resourceRequest, type Resources} from '../core/resources/resource-words.js'
import {listTasks as list} from '../core/tasks/list-tasks.js'
import {pruneTasks as prune} from '../core/tasks/prune-tasks.js'
import {startTasks as start} from '../core/tasks/start-tasks.js'
import {stopTasks as stop} from '../core/tasks/stop-tasks.js'
import {DEFAULT_GRACE_SECONDS} from '../core/tasks/task-defaults.js'
import {readTaskLog} from '../core/tasks/task-logs.js'
import {localTaskRecords, storeTaskRecords, type TaskRecords} from '../core/tasks/task-records.js'
import {taskWhat} from '../core/tasks/task-what.js'
import {type FleetOptions, type ResolvedFleet, withFleet} from './fleet-options.js'
import {type StoreOptions, withStore} from './store.js'

/** What every task command takes besides the fleet: where the tasks live, here and on the hosts. */
export interface TaskOptions extends FleetOptions, StoreOptions {
  /** Folder on the hosts of `tasks/` and `bin/` (`--remote-root`); default `~/director`. */
  remoteRoot?: string | undefined
  /** director's local state (the task records), `--state-dir`; default `$XDG_STATE_HOME/director`. */
  stateDir?: string | undefined
  /** Folder `script` and a relative `stateDir` are taken from; default `process.cwd()`. */
  cwd?: string | undefined
}

type TaskFleet = ResolvedFleet & {
  stateDir: string
  remoteRoot: string
  /** The coordination store `options.store` names, or undefined (local state only). */
  store: CoordinationStore | undefined
  /** The task records: the store's when there is one, else the state dir's. */
  records: TaskRecords
}

/**
 * Runs a task command's work with the fleet, the records' folder, the remote root and the task
 * records; the store (when given) and the bastions are closed after, whatever happens.
 */
export async function withTasks<T>(options: TaskOptions, work: (fleet: TaskFleet) => Promise<T>): Promise<T> {
  const cwd = options.cwd ?? process.cwd()
  const stateDir = resolveStateDir(options.stateDir, options.env ?? process.env, cwd)
  const remoteRoot = options.remoteRoot ?? DEFAULT_REMOTE_ROOT
  return withFleet(options, async (fleet) =>
    withStore(options.store, async (store) => {
      const records = store === undefined ? localTaskRecords(stateDir) : storeTaskRecords(store)
      return work({...fleet, stateDir, remoteRoot, store, records})
    }),
  )
}

/** What each task asks for, and how the offer round places them (`task start` and `keep`). */
export interface ResourceOptions {
  /** Cpus per task (`--cpus`, fractions allowed): tasks go only where that much is free. */
  cpus?: number | undefined
  /** Memory per task (`--mem`): bytes, or a size such as `'4G'`. */
  mem?: number | string | undefined
  /** Fill the hosts in inventory order instead of the roomiest first (`--pack`). */
  pack?: boolean | undefined
  /** Count a host's 1-minute load as cpus in use when it is above what tasks reserved (`--respect-load`). */
  respectLoad?: boolean | undefined
}

/** The request and policy of ResourceOptions; a mistake is a UsageError. */
export function resourcesOf(options: ResourceOptions): {resources: Resources; policy: OfferPolicy} {
  return {resources: resourceRequest(options), policy: {pack: options.pack, respectLoad: options.respectLoad}}
}

export interface StartTasksOptions extends ResourceOptions, TaskOptions {
  /** A local script to upload and start (with `args`); or give `command`. */
  script?: string | undefined
  args?: string[] | undefined
  /** An ad-hoc shell command instead of a script (`-c`). */
  command?: string | undefined
  /** The project the tasks are tagged with; default `default`. */
  project?: string | undefined
  /** Tasks in all, spread over the hosts, fewest first; default one per host. */
  count?: number | undefined
}

/** `director task start`: starts detached tasks on the hosts, each in a sandbox of its own host. */
export async function startTasks(options: StartTasksOptions): Promise<StartReport> {
  const what = taskWhat(options.script, options.args ?? [], options.command, options.cwd ?? process.cwd())
  const project = options.project ?? DEFAULT_PROJECT
  return withTasks(options, async ({hosts, connect, fanOut, stateDir, remoteRoot, records}) => {
    // The store must answer before anything starts: a record is written before each start.
    await records.read(project)
    return start(
      hosts,
      {what, project, remoteRoot, count: options.count, stateDir, records, ...resourcesOf(options)},
      {connect, fanOut, remoteRoot},
    )
  })
}

export interface ListTasksOptions extends TaskOptions {
  /** Only this project's tasks; default every project. */
  project?: string | undefined
  /** Only tasks in these states (`--state`). */
  states?: TaskState[] | undefined
  /** Every ended task, not only the last 10 (`--all`); default false. */
  all?: boolean | undefined
}

/** `director task list`: the tasks as their hosts show them (states, exit codes, signals). */
export async function listTasks(options: ListTasksOptions): Promise<TaskListReport> {
  const history = {states: options.states, all: options.all ?? false}
  return withTasks(options, async ({hosts, connect, fanOut, remoteRoot, records}) =>
    list(hosts, await records.read(options.project), {connect, fanOut, remoteRoot, project: options.project}, history),
  )
}

export interface StopTasksOptions extends TaskOptions {
  /** Which tasks: by id, a whole project, or every task. */
  select: StopSelection
  /** Seconds between SIGTERM and SIGKILL (`--grace`); default 10. */
  grace?: number | undefined
}

/** `director task stop`: SIGTERM to each chosen task's process group, SIGKILL after the grace. */
export async function stopTasks(options: StopTasksOptions): Promise<StopReport> {
  const graceSeconds = options.grace ?? DEFAULT_GRACE_SECONDS
  return withTasks(options, async ({hosts, connect, fanOut, remoteRoot, records}) =>
    stop(hosts, await records.read(), options.select, {connect, fanOut, remoteRoot, graceSeconds}),
  )
}

export interface TaskLogsOptions extends TaskOptions {
  id: string
  /** Which output; default `stdout`. */
  stream?: 'stderr' | 'stdout' | undefined
  /** Go on until the task ends or `signal` fires (`--follow`); default false. */
  follow?: boolean | undefined
  /** Each chunk of the log, as it comes. */
  onChunk: (chunk: Buffer) => void
}

/** `director task logs`: a task's stdout or stderr from its sandbox, to `onChunk`. */
export async function taskLogs(options: TaskLogsOptions): Promise<LogsReport> {
  const request = {id: options.id, stream: options.stream ?? 'stdout', follow: options.follow ?? false}
  return withTasks(options, async ({all, connect, fanOut, records}) => {
    const signal = fanOut.signal ?? new AbortController().signal
    return readTaskLog(all, await records.read(), request, {connect, signal, onChunk: options.onChunk})
  })
}

export interface PruneTasksOptions extends TaskOptions {
  /** Only this project's tasks; default every project. */
  project?: string | undefined
  /** Only tasks that ended at least this many seconds ago; default every ended one. */
  olderThan?: number | undefined
}

/** `director task prune`: removes ended tasks' records and sandboxes (never a live task's). */
export async function pruneTasks(options: PruneTasksOptions): Promise<PruneReport> {
  return withTasks(options, async ({hosts, connect, fanOut, stateDir, remoteRoot, records}) => {
    const request = {stateDir, records, olderThanMs: (options.olderThan ?? 0) * 1000}
    return prune(hosts, request, {connect, fanOut, remoteRoot, project: options.project})
  })
}
