/**
 * director as a library: the same commands as the CLI, taking the options of its flags (in
 * camelCase) plus an AbortSignal and event callbacks, and returning the very report the CLI
 * prints with `--json`. A mistake in the input throws a `UsageError` with the CLI's one-line
 * message; a host's failure is a value in the report.
 *
 * ```ts
 * import {loadInventory, run, status} from 'director'
 * const inventory = loadInventory({file: 'clients.conf'})
 * const report = await status({inventory, icmp: false})
 * ```
 */
export {type DataOptions, distributeData} from './api/data.js'
export {FLEET_DEFAULTS} from './api/fleet-defaults.js'
export type {FleetOptions} from './api/fleet-options.js'
export {type InventorySource, loadInventory, type LoadInventoryOptions} from './api/inventory.js'
export {keep, type KeepOptions, stopKeep, type StopKeepOptions} from './api/keep.js'
export {mkdir, type MkdirOptions} from './api/mkdir.js'
export {run, type RunOptions} from './api/run.js'
export {clearState, type ClearStateOptions, keepState, type StateOptions} from './api/state.js'
export {status, type StatusOptions} from './api/status.js'
export type {StoreOptions} from './api/store.js'
export {
  listTasks,
  type ListTasksOptions,
  pruneTasks,
  type PruneTasksOptions,
  type ResourceOptions,
  startTasks,
  type StartTasksOptions,
  stopTasks,
  type StopTasksOptions,
  taskLogs,
  type TaskLogsOptions,
  type TaskOptions,
} from './api/tasks.js'
export type {FileFailure} from './core/data/deliver-to-host.js'
export type {PlacementMode} from './core/data/plan-placement.js'
export type {DataEvents, DataProgress, DataReport, HostProgress, HostShare} from './core/data/types.js'
export {UsageError} from './core/errors.js'
export type {Failure, FailureKind, HostResult} from './core/host-result.js'
export type {Host} from './core/inventory/host.js'
export type {Inventory} from './core/inventory/load-hosts.js'
export type {MadeDirectory} from './core/mkdir/make-directory.js'
export type {MkdirReport} from './core/mkdir/mkdir-on-hosts.js'
export type {HostOffer, HostResources, ResourceOrigin} from './core/resources/host-resources.js'
export type {OfferPolicy} from './core/resources/plan-offer-placement.js'
export type {Resources} from './core/resources/resource-words.js'
export type {RunEvents, RunOnFleetReport} from './core/run/run-on-fleet.js'
export type {HostRun, RerunState, RunState} from './core/run/run-report.js'
export type {HostKeyCheck} from './core/ssh/host-key-policy.js'
export type {ExecOptions, ExecResult, SshSession} from './core/ssh/session.js'
export type {HostStatus, IcmpCheck, ResourcesCheck, SshCheck, StatusReport} from './core/status/check-status.js'
export {NotLeaderError, StoreUnreachableError} from './core/store/types.js'
export type {KeepHookOptions} from './core/tasks/keep-file-hooks.js'
export type {ClearReport, KeepStopReport, ProjectState, StateReport} from './core/tasks/keep-state.js'
export type {RestartPolicy} from './core/tasks/plan-reconcile.js'
export type {TaskState} from './core/tasks/task-state.js'
export type {TaskView} from './core/tasks/task-view.js'
export type {
  KeepHooks,
  KeepReport,
  LogsReport,
  PlaceRequest,
  PruneReport,
  StartReport,
  StoppedTask,
  StopReport,
  StopSelection,
  TaskListReport,
  UnplacedTask,
} from './core/tasks/types.js'
