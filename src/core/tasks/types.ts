// The requests and reports of the task commands (task start/list/stop/logs/prune, keep): what
// the library takes and returns, and what the CLI prints with --json.
import type {FanOutOptions} from '../fanout/run-on-hosts.js'
import type {Host} from '../inventory/host.js'
import type {RunWhat} from '../remote/run-what.js'
import type {HostOffer} from '../resources/host-resources.js'
import type {OfferPolicy} from '../resources/plan-offer-placement.js'
import type {Resources} from '../resources/resource-words.js'
import type {ConnectOptions} from '../ssh/connect.js'
import type {SshSession} from '../ssh/session.js'
import type {Desired} from './plan-reconcile.js'
import type {StopOutcome} from './stop-script.js'
import type {TaskRecords} from './task-records.js'
import type {TaskState} from './task-state.js'
import type {TaskRecord} from './task-store.js'
import type {ForeignSandbox, TaskView} from './task-view.js'

/** How every task command reaches the hosts, and where the tasks live on them. */
export interface ListTasksOptions {
  connect: ConnectOptions
  fanOut: FanOutOptions
  remoteRoot: string
  project?: string | undefined
}

/** What to start: a local script (uploaded to bin/<project>/<host>/) with its arguments, or a command. */
export interface StartRequest {
  what: RunWhat
  project: string
  remoteRoot: string
  /** Tasks in all; undefined: one per host. */
  count?: number | undefined
  stateDir: string
  /** Where the tasks are recorded; default the local state dir's tasks.jsonl. */
  records?: TaskRecords | undefined
  /** What each task asks for (`--cpus`, `--mem`): placed by an offer round; none: by count, as ever. */
  resources?: Resources | undefined
  /** How the offer round picks hosts: `--pack`, `--respect-load`. */
  policy?: OfferPolicy | undefined
}

/** A task that did not fit anywhere: what it asked for and the largest free offer seen. */
export interface UnplacedTask {
  needs: Resources
  best: HostOffer | null
  /** `needs 2 cpus, 4.0 GiB; best host 127.0.1.3 has 1.5 cpus, 12.0 GiB free` */
  message: string
}

/** What `task start` reports: the tasks started, the hosts where starting failed, the tasks that did not fit. */
export interface StartReport {
  project: string
  started: TaskRecord[]
  failed: Array<{host: string; reason: string}>
  /** With resources asked for: one entry per task not started because no host had room (never overcommitted). */
  unplaced: UnplacedTask[]
  /** With resources asked for: what each host that answered offered before placing. */
  offers?: HostOffer[]
}

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

/** Which tasks to stop: these ids, every running task of a project, or every running task. */
export type StopSelection = {kind: 'all'} | {kind: 'ids'; ids: string[]} | {kind: 'project'; project: string}

/** What happened to one task. `unreachable`: its host did not answer, nothing was signalled. */
export interface StoppedTask {
  id: string
  host: string
  outcome: 'unreachable' | StopOutcome
  message: string
}

/** What `task stop` reports. */
export interface StopReport {
  tasks: StoppedTask[]
  /** Tasks that may still run: their pid was reused, another host owns them, the host did not answer, or no sandbox. */
  notStopped: number
}

export interface PruneRequest {
  stateDir: string
  /** Where the tasks are recorded; default the local state dir's tasks.jsonl. */
  records?: TaskRecords | undefined
  /** Only tasks that ended at least this long ago (their end time, else their start); 0: every ended one. */
  olderThanMs: number
  now?: Date
}

/** What `task prune` reports: the tasks whose record and sandbox went, and the hosts not asked. */
export interface PruneReport {
  pruned: Array<{id: string; host: string; state: TaskState}>
  unreachable: Array<{host: string; reason: string}>
}

export interface LogsRequest {
  id: string
  stream: 'stderr' | 'stdout'
  follow: boolean
}

/** What `task logs` reports (the output itself went to `onChunk`). */
export interface LogsReport {
  id: string
  host: string
  stream: 'stderr' | 'stdout'
  bytes: number
}

/** What a placement is asked for: how many new tasks, and the hosts to use only when no other is left. */
export interface PlaceRequest {
  count: number
  /** Hosts a task just failed or got lost on. */
  avoid: ReadonlySet<string>
  /** What each task asks for (keep's `--cpus`, `--mem`); then `offers` says what each host has free. */
  resources?: Resources | undefined
  policy?: OfferPolicy | undefined
  /** The offer round's offers, one per host that answered its probe (with `resources` only). */
  offers?: HostOffer[] | undefined
}

/**
 * The steps of `keep` a caller may take over, as Overlord's overridable hooks. A hook that
 * throws is logged and never ends the loop. The CLI's executables (`--health FILE`, ...) are
 * one implementation of these (see keep-file-hooks.ts).
 */
export interface KeepHooks {
  /**
   * Each cycle, per running task, over a session to its host: false (or a throw, whose message
   * is logged) makes the task unhealthy: it is replaced, away from its host, and stopped.
   */
  health?: ((task: TaskView, session: SshSession) => boolean | Promise<boolean>) | undefined
  /** Once per host, before its first task; a host where it throws is tried again next cycle. */
  init?: ((host: Host, session: SshSession) => Promise<void> | void) | undefined
  /** Here, at the start of each cycle. */
  maintenance?: (() => Promise<void> | void) | undefined
  /**
   * Where new tasks go: one host name per task (a name may repeat; names of other hosts are
   * dropped). `hosts` are those that answered this cycle, `tasks` the project's tasks as listed.
   * Default: the host with the fewest running tasks first, avoiding `request.avoid`.
   */
  place?: ((hosts: Host[], tasks: TaskView[], request: PlaceRequest) => Promise<string[]> | string[]) | undefined
}

export interface KeepRequest extends Omit<StartRequest, 'count'> {
  desired: Desired
  intervalSeconds: number
  stopOnExit: boolean
  graceSeconds: number
  hooks: KeepHooks
}

/** What `keep` reports when it ends. */
export interface KeepReport {
  project: string
  cycles: number
  started: number
  stopped: number
  /** Why the loop ended: the stop file, the store's stop request (`keep --stop`), or the signal (Ctrl-C, SIGTERM). */
  endedBy: 'signal' | 'stop-file' | 'stop-request'
}
