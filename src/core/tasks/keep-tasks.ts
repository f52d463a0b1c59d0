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
import {readTaskRecords} from './task-store.js'

/** `<state dir>/projects/<project>/`: keep.log, and the `stop` file that ends the loop. */
export function projectStateDir(stateDir: string, project: string): string {
  checkFolderName(project, 'project name')
  return join(stateDir, 'projects', project)
}

/**
 * The `keep` loop: every interval, run the maintenance hook, init the hosts not initialized
 * yet, list the project's tasks, ask the health hook about the running ones, start
 * replacements where the place hook says (default: fewest tasks first, away from the host a
 * task just failed on) and stop the excess, as planReconcile says. Every action goes to
 * `onLog` and to keep.log with a timestamp. Ends on the signal or when the `stop` file appears
 * (which it then removes); the tasks go on running unless `stopOnExit`.
 */
export async function keepTasks(
  hosts: Host[],
  request: KeepRequest,
  options: ListTasksOptions & {signal: AbortSignal; onLog: (line: string) => void},
): Promise<KeepReport> {
  const folder = projectStateDir(request.stateDir, request.project)
  mkdirSync(folder, {recursive: true})
  const log = (text: string): void => {
    const line = `${new Date().toISOString()} ${text}`
    appendFileSync(join(folder, 'keep.log'), `${line}\n`)
    options.onLog(line)
  }

  const report: KeepReport = {project: request.project, cycles: 0, started: 0, stopped: 0, endedBy: 'signal'}
  const seen = new Set<string>()
  const initialized = new Set<string>()
  let completed = 0
  const fanOut = {...options.fanOut, signal: undefined}
  const listOptions = {...options, fanOut, project: request.project}
  const stop = async (selection: StopSelection): Promise<void> => {
    const options = {...listOptions, graceSeconds: request.graceSeconds}
    const stopped = await stopTasks(hosts, readTaskRecords(request.stateDir), selection, options)
    for (const task of stopped.tasks) log(`stop ${task.id} @${task.host}: ${task.message}`)
    report.stopped += stopped.tasks.length
  }

  log(`keep ${request.desired.count} of project ${request.project}, every ${request.intervalSeconds} s`)
  while (!options.signal.aborted) {
    const stopFile = join(folder, 'stop')
    if (existsSync(stopFile)) {
      // Used up: left in place, it would end the next keep of the project at once.
      rmSync(stopFile, {force: true})
      log(`stop file ${stopFile} found (removed): ending`)
      report.endedBy = 'stop-file'
      break
    }

    report.cycles += 1
    const {health, init, maintenance, place} = request.hooks
    const hookContext = {...listOptions, log}
    if (maintenance) await runMaintenance(maintenance, hookContext)
    if (init) await runInit(hosts, init, initialized, hookContext)
    const listed = await listTasks(hosts, readTaskRecords(request.stateDir), listOptions)
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
    }

    if (plan.stop.length > 0) await stop({kind: 'ids', ids: plan.stop})

    if (plan.start > 0) {
      const down = new Set(listed.unreachable.map((answer) => answer.host))
      const answered = hosts.filter((host) => !down.has(host.name))
      const placeRequest = {count: plan.start, avoid: plan.avoid, resources: request.resources, policy: request.policy}
      const placement = await placeTasks(answered, observed, placeRequest, {...hookContext, place})
      const started = await startPlaced(hosts, placement, request, listOptions)
      for (const task of started.started) log(`start ${task.id} @${task.host} pid ${task.pid}`)
      for (const host of started.failed) log(`start failed @${host.host}: ${host.reason}`)
      report.started += started.started.length
    }

    await sleep(request.intervalSeconds * 1000, undefined, {signal: options.signal}).catch(() => {})
  }

  if (request.stopOnExit) await stop({kind: 'project', project: request.project})

  log(`keep ended (${report.endedBy})`)
  return report
}
