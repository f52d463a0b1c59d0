import type {RestartPolicy} from '../core/tasks/plan-reconcile.js'
import type {KeepReport} from '../core/tasks/types.js'

import {UsageError} from '../core/errors.js'
import {resolveStateDir} from '../core/local/state-file.js'
import {DEFAULT_PROJECT} from '../core/remote/remote-path.js'
import {controllerId} from '../core/store/controller-id.js'
import {type KeepHookOptions, resolveKeepHooks} from '../core/tasks/keep-file-hooks.js'
import {keepLed} from '../core/tasks/keep-led.js'
import {type KeepStopReport, requestKeepStop} from '../core/tasks/keep-state.js'
import {keepTasks} from '../core/tasks/keep-tasks.js'
import {
  DEFAULT_GRACE_SECONDS,
  DEFAULT_KEEP_INTERVAL_SECONDS,
  DEFAULT_LEASE_SECONDS,
} from '../core/tasks/task-defaults.js'
import {taskWhat} from '../core/tasks/task-what.js'
import {withStore} from './store.js'
import {type ResourceOptions, resourcesOf, type TaskOptions, withTasks} from './tasks.js'

export interface KeepOptions extends ResourceOptions, TaskOptions {
  /** How many tasks to keep running. */
  count: number
  /** A local script to start (with `args`); or give `command`. */
  script?: string | undefined
  args?: string[] | undefined
  /** An ad-hoc shell command instead of a script (`-c`). */
  command?: string | undefined
  /** The project the tasks belong to; default `default`. */
  project?: string | undefined
  /** Replace tasks that fail or get lost (`on-failure`, the default), or also those that finish. */
  restart?: RestartPolicy | undefined
  /** Seconds between two cycles; default 15. */
  interval?: number | undefined
  /** Seconds between SIGTERM and SIGKILL when stopping; default 10. */
  grace?: number | undefined
  /** Stop the project's tasks when keep ends; default false (they go on running). */
  stopOnExit?: boolean | undefined
  /**
   * health, init and maintenance as functions or as paths of executables, and `place`.
   * Hooks not given are taken from the executables in `hooksDir`, when there.
   */
  hooks?: KeepHookOptions | undefined
  /** Folder of executables named health, init, maintenance; default `<cwd>/<project>/hooks`. */
  hooksDir?: string | undefined
  /** Each line keep logs (also appended to `<stateDir>/projects/<project>/keep.log`). */
  onLog?: ((line: string) => void) | undefined
  /** With `store`: the leader's lease in whole seconds; default 10. */
  lease?: number | undefined
  /** With `store`: give up when it has not answered for this many seconds at start; default: wait. */
  storeTimeout?: number | undefined
}

/**
 * `director keep`: keeps `count` tasks of the project running, until `signal` fires or the
 * file `<stateDir>/projects/<project>/stop` appears. Every cycle it lists the tasks, replaces the
 * failed, lost and unhealthy ones on another host when it can, and stops the excess.
 * With `store`, it campaigns for the project's leadership first: only the leader acts, the
 * others stand by and take over when it dies; `stopKeep` ends them all.
 */
export async function keep(options: KeepOptions): Promise<KeepReport> {
  if (!Number.isInteger(options.count) || options.count < 0)
    throw new UsageError(`keep count ${options.count}: give a whole number, 0 or more`)
  if (options.interval !== undefined && !(options.interval > 0))
    throw new UsageError(`keep interval ${options.interval}: give a number of seconds above 0`)
  const lease = options.lease ?? DEFAULT_LEASE_SECONDS
  if (!Number.isInteger(lease) || lease < 1) throw new UsageError(`keep lease ${lease}: give whole seconds, 1 or more`)
  const cwd = options.cwd ?? process.cwd()
  const project = options.project ?? DEFAULT_PROJECT
  const what = taskWhat(options.script, options.args ?? [], options.command, cwd)
  return withTasks(options, async ({hosts, connect, fanOut, stateDir, remoteRoot, store}) => {
    const hooksDir = options.hooksDir ?? `${project}/hooks`
    const request = {
      what,
      project,
      remoteRoot,
      stateDir,
      desired: {count: options.count, restart: options.restart ?? 'on-failure'},
      intervalSeconds: options.interval ?? DEFAULT_KEEP_INTERVAL_SECONDS,
      stopOnExit: options.stopOnExit ?? false,
      graceSeconds: options.grace ?? DEFAULT_GRACE_SECONDS,
      ...resourcesOf(options),
      hooks: resolveKeepHooks(options.hooks ?? {}, {hooksDir, cwd}, {remoteRoot, project}),
    }
    const signal = fanOut.signal ?? new AbortController().signal
    const loop = {connect, fanOut, remoteRoot, signal, onLog: options.onLog ?? (() => {})}
    if (store === undefined) return keepTasks(hosts, request, loop)
    const lead = {store, controllerId: controllerId(), leaseSeconds: lease, storeTimeoutSeconds: options.storeTimeout}
    return keepLed(hosts, request, {...loop, ...lead})
  })
}

export interface StopKeepOptions extends Pick<TaskOptions, 'cwd' | 'env' | 'stateDir' | 'store'> {
  project?: string | undefined
}

/** `director keep --stop`: ends every keep of the project (the store's request; without a store, the stop file). */
export async function stopKeep(options: StopKeepOptions): Promise<KeepStopReport> {
  const stateDir = resolveStateDir(options.stateDir, options.env ?? process.env, options.cwd ?? process.cwd())
  const request = {stateDir, project: options.project ?? DEFAULT_PROJECT, by: controllerId()}
  return withStore(options.store, async (store) => requestKeepStop(store, request))
}
