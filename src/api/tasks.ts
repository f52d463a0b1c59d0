import type {OfferPolicy} from '../core/resources/plan-offer-placement.js'
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
import {readTaskRecords} from '../core/tasks/task-store.js'
import {taskWhat} from '../core/tasks/task-what.js'
import {type FleetOptions, resolveFleet} from './fleet-options.js'

/** What every task command takes besides the fleet: where the tasks live, here and on the hosts. */
export interface TaskOptions extends FleetOptions {
  /** Folder on the hosts of `tasks/` and `bin/` (`--remote-root`); default `~/director`. */
  remoteRoot?: string | undefined
  /** director's local state (the task records), `--state-dir`; default `$XDG_STATE_HOME/director`. */
  stateDir?: string | undefined
  /** Folder `script` and a relative `stateDir` are taken from; default `process.cwd()`. */
  cwd?: string | undefined
}

/** The fleet, the records' folder and the remote root every task command works with. */
export function resolveTasks(
  options: TaskOptions,
): ReturnType<typeof resolveFleet> & {stateDir: string; remoteRoot: string} {
  const cwd = options.cwd ?? process.cwd()
  return {
    ...resolveFleet(options),
    stateDir: resolveStateDir(options.stateDir, options.env ?? process.env, cwd),
    remoteRoot: options.remoteRoot ?? DEFAULT_REMOTE_ROOT,
  }
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
  const {hosts, connect, fanOut, stateDir, remoteRoot} = resolveTasks(options)
  const what = taskWhat(options.script, options.args ?? [], options.command, options.cwd ?? process.cwd())
  const project = options.project ?? DEFAULT_PROJECT
  const request = {what, project, remoteRoot, count: options.count, stateDir, ...resourcesOf(options)}
  return start(hosts, request, {connect, fanOut, remoteRoot})
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
  const {hosts, connect, fanOut, stateDir, remoteRoot} = resolveTasks(options)
  const history = {states: options.states, all: options.all ?? false}
  return list(hosts, readTaskRecords(stateDir), {connect, fanOut, remoteRoot, project: options.project}, history)
}

export interface StopTasksOptions extends TaskOptions {
  /** Which tasks: by id, a whole project, or every task. */
  select: StopSelection
  /** Seconds between SIGTERM and SIGKILL (`--grace`); default 10. */
  grace?: number | undefined
}

/** `director task stop`: SIGTERM to each chosen task's process group, SIGKILL after the grace. */
export async function stopTasks(options: StopTasksOptions): Promise<StopReport> {
  const {hosts, connect, fanOut, stateDir, remoteRoot} = resolveTasks(options)
  return stop(hosts, readTaskRecords(stateDir), options.select, {
    connect,
    fanOut,
    remoteRoot,
    graceSeconds: options.grace ?? DEFAULT_GRACE_SECONDS,
  })
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
  const {all, connect, stateDir, fanOut} = resolveTasks(options)
  const request = {id: options.id, stream: options.stream ?? 'stdout', follow: options.follow ?? false}
  const signal = fanOut.signal ?? new AbortController().signal
  return readTaskLog(all, readTaskRecords(stateDir), request, {connect, signal, onChunk: options.onChunk})
}

export interface PruneTasksOptions extends TaskOptions {
  /** Only this project's tasks; default every project. */
  project?: string | undefined
  /** Only tasks that ended at least this many seconds ago; default every ended one. */
  olderThan?: number | undefined
}

/** `director task prune`: removes ended tasks' records and sandboxes (never a live task's). */
export async function pruneTasks(options: PruneTasksOptions): Promise<PruneReport> {
  const {hosts, connect, fanOut, stateDir, remoteRoot} = resolveTasks(options)
  const request = {stateDir, olderThanMs: (options.olderThan ?? 0) * 1000}
  return prune(hosts, request, {connect, fanOut, remoteRoot, project: options.project})
}
