import {appendFileSync, existsSync, mkdirSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import type {Host} from '../inventory/host.js'
import type {KeepReport, KeepRequest, ListTasksOptions, StopSelection} from './types.js'

import {checkFolderName} from '../remote/remote-path.js'
import {checkHealth, placeTasks, runInit, runMaintenance} from './keep-hooks.js'
import {listTasks} from './list-tasks.js'
import {planReconcile} from './plan-reconcile.js'
import {startPlaced} from './start-tasks.js'
import {stopTasks} from './stop-tasks.js'
import {localTaskRecords, type TaskRecords} from './task-records.js'

/** `<state dir>/projects/<project>/`: keep.log, and the `stop` file that ends the loop. */
export function projectStateDir(stateDir: string, project: string): string {
  checkFolderName(project, 'project name')
  return join(stateDir, 'projects', project)
}

/** `<state dir>/projects/<project>/stop`: the file that ends every keep of the project here. */
export function stopFileOf(stateDir: string, project: string): string {
  return join(projectStateDir(stateDir, project), 'stop')
}

/**
 * What keep's loop answers to: where it records tasks, what may stop it, and the fence it
 * passes before each action (a leader's; see keep-led.ts). Without a store: the local state
 * file, the `stop` file, no fence.
 */
export interface KeepControl {
  records: TaskRecords
  /** Before each action on the hosts (and each record written): throws once this controller may not act. */
  fence: () => Promise<void>
  /** Why to end now (the stop file or request, said for the log), or undefined to go on. */
  stopRequested: () => Promise<string | undefined>
  endedBy: KeepReport['endedBy']
}

/** The local control: the state file, the stop file (used up when found), no fence. */
function localKeepControl(stateDir: string, project: string): KeepControl {
  const stopFile = stopFileOf(stateDir, project)
  return {
    records: localTaskRecords(stateDir),
    async fence() {},
    async stopRequested() {
      if (!existsSync(stopFile)) return undefined
      // Used up: left in place, it would end the next keep of the project at once.
      rmSync(stopFile, {force: true})
      return `stop file ${stopFile} found (removed)`
    },
    endedBy: 'stop-file',
  }
}

/** Appends timestamped lines to `<state dir>/projects/<project>/keep.log` and hands each to `onLog`. */
export function keepLogger(stateDir: string, project: string, onLog: (line: string) => void): (text: string) => void {
  const folder = projectStateDir(stateDir, project)
  mkdirSync(folder, {recursive: true})
  return (text) => {
    const line = `${new Date().toISOString()} ${text}`
    appendFileSync(join(folder, 'keep.log'), `${line}\n`)
    onLog(line)
  }
}

/** What keepTasks needs besides the hosts and the request. */
export interface KeepLoopOptions extends ListTasksOptions {
  signal: AbortSignal
  onLog: (line: string) => void
  /** Default: localKeepControl. */
  control?: KeepControl | undefined
  /** Default: keepLogger of the request's state dir (a led keep passes its own, shared by its terms). */
  log?: ((text: string) => void) | undefined
  /** The counts to add to (a led keep's, over its terms as leader); default a new report. */
  report?: KeepReport | undefined
}

/**
 * The `keep` loop: every interval, run the maintenance hook, init the hosts not initialized
 * yet, list the project's tasks, ask the health hook about the running ones, start
 * replacements where the place hook says (default: fewest tasks first, away from the host a
 * task just failed on) and stop the excess, as planReconcile says. Every action goes to
 * `onLog` and to keep.log with a timestamp. Ends on the signal or the stop request (the
 * `stop` file, which it then removes); the tasks go on running unless `stopOnExit`. The
 * control's fence is passed before every action: its throw ends the loop (a deposed leader).
 */
export async function keepTasks(hosts: Host[], request: KeepRequest, options: KeepLoopOptions): Promise<KeepReport> {
  const control = options.control ?? localKeepControl(request.stateDir, request.project)
  const log = options.log ?? keepLogger(request.stateDir, request.project, options.onLog)
  const {fence, records} = control

  const report = options.report ?? {project: request.project, cycles: 0, started: 0, stopped: 0, endedBy: 'signal'}
  const seen = new Set<string>()
  const initialized = new Set<string>()
  let completed = 0
  const fanOut = {...options.fanOut, signal: undefined}
  const listOptions = {connect: options.connect, remoteRoot: options.remoteRoot, fanOut, project: request.project}
  const stop = async (selection: StopSelection): Promise<void> => {
    const stopOptions = {...listOptions, graceSeconds: request.graceSeconds}
    const known = await records.read(request.project)
    await fence()
    const stopped = await stopTasks(hosts, known, selection, stopOptions)
    for (const task of stopped.tasks) log(`stop ${task.id} @${task.host}: ${task.message}`)
    report.stopped += stopped.tasks.length
  }

  log(`keep ${request.desired.count} of project ${request.project}, every ${request.intervalSeconds} s`)
  while (!options.signal.aborted) {
    const stopRequest = await control.stopRequested()
    if (stopRequest !== undefined) {
      log(`${stopRequest}: ending`)
      report.endedBy = control.endedBy
      break
    }

    report.cycles += 1
    const {health, init, maintenance, place} = request.hooks
    const hookContext = {...listOptions, log}
    await fence()
    if (maintenance) await runMaintenance(maintenance, hookContext)
    if (init) {
      await fence()
      await runInit(hosts, init, initialized, hookContext)
    }

    const known = await records.read(request.project)
    await fence()
    const listed = await listTasks(hosts, known, listOptions)
    if (health) await fence()
    const unhealthy = health ? await checkHealth(hosts, listed.tasks, health, hookContext) : new Set<string>()
    // An unhealthy task counts as failed: it is replaced (elsewhere) and stopped.
    const observed = listed.tasks.map((task) =>
      unhealthy.has(task.id) ? {...task, state: 'failed' as const, reason: 'health check failed'} : task,
    )
    const plan = planReconcile(observed, request.desired, seen, completed)
    plan.stop.push(...unhealthy)
    completed = plan.completed
    for (const task of plan.ended) {
      seen.add(task.id)
      log(`${task.state} ${task.id} @${task.host}${task.reason ? `: ${task.reason}` : ''}`)
      await records.ended(task, task.state, task.endedAt)
    }

    if (plan.stop.length > 0) await stop({kind: 'ids', ids: plan.stop})

    if (plan.start > 0) {
      const down = new Set(listed.unreachable.map((answer) => answer.host))
      const answered = hosts.filter((host) => !down.has(host.name))
      const placeRequest = {count: plan.start, avoid: plan.avoid, resources: request.resources, policy: request.policy}
      const placement = await placeTasks(answered, observed, placeRequest, {...hookContext, place})
      await fence()
      const started = await startPlaced(hosts, placement, {...request, records}, listOptions)
      for (const task of started.started) log(`start ${task.id} @${task.host} pid ${task.pid}`)
      for (const host of started.failed) log(`start failed @${host.host}: ${host.reason}`)
      report.started += started.started.length
      // A start refused by the fence (a guarded record write) means this controller no longer leads.
      await fence()
    }

    await sleep(request.intervalSeconds * 1000, undefined, {signal: options.signal}).catch(() => {})
  }

  if (request.stopOnExit) await stop({kind: 'project', project: request.project})

  log(`keep ended (${report.endedBy})`)
  return report
}
