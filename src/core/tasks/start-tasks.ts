import {basename, posix} from 'node:path'

import type {Host} from '../inventory/host.js'
import type {RunWhat} from '../remote/run-what.js'
import type {SshSession} from '../ssh/session.js'
import type {ListTasksOptions, StartReport, StartRequest} from './types.js'

import {runOverSsh} from '../fanout/run-over-ssh.js'
import {failure, HostFailure} from '../host-result.js'
import {checkFolderName} from '../remote/remote-path.js'
import {posixShell} from '../remote/shell-quote.js'
import {planOfferPlacement, shortfallMessage} from '../resources/plan-offer-placement.js'
import {probeOffers} from '../resources/read-host-resources.js'
import {formatResourceWords, isEmptyRequest} from '../resources/resource-words.js'
import {listHostTasks} from './list-tasks.js'
import {countRunning, planTaskPlacement} from './plan-task-placement.js'
import {makeTaskId} from './task-id.js'
import {hostBinDir, taskDir} from './task-paths.js'
import {localTaskRecords, type TaskRecords} from './task-records.js'
import {startTaskScript} from './task-scripts.js'
import {type TaskRecord} from './task-store.js'
import {buildTaskViews} from './task-view.js'
import {uploadReplacing} from './upload-task-file.js'

/**
 * Starts tasks: one per host, or `count` spread over the hosts (fewest running tasks of the
 * project first; hosts that do not answer get none); with resources asked for, where they fit
 * (startByOffers). Each is recorded (request.records, default the local state file) before its
 * start and again once its host confirms its pid.
 */
export async function startTasks(
  hosts: Host[],
  request: StartRequest,
  options: ListTasksOptions,
): Promise<StartReport> {
  checkFolderName(request.project, 'project name')
  if (!isEmptyRequest(request.resources)) return startByOffers(hosts, request, options)
  let placement: Map<string, number>
  if (request.count === undefined) placement = new Map(hosts.map((host) => [host.name, 1]))
  else {
    const listings = await listHostTasks(hosts, {...options, project: request.project})
    const records = await (request.records ?? localTaskRecords(request.stateDir)).read(request.project)
    const views = buildTaskViews(listings, records, request.project)
    const answered = listings.filter((answer) => answer.ok).map((answer) => answer.host)
    placement = planTaskPlacement(answered, countRunning(views), request.count)
  }

  return startPlaced(hosts, placement, request, options)
}

/**
 * The offer round of `task start --cpus/--mem`: each host's free resources (capacity less what
 * its live tasks reserved, one exec each), the tasks placed where they fit (spread, or `pack`),
 * those that fit started, the others reported with the largest free offer seen.
 */
async function startByOffers(hosts: Host[], request: StartRequest, options: ListTasksOptions): Promise<StartReport> {
  const resources = request.resources ?? {}
  const respectLoad = request.policy?.respectLoad ?? false
  const {offers, unreachable} = await probeOffers(hosts, {...options, respectLoad})
  const plans =
    request.count === undefined
      ? offers.map((offer) => planOfferPlacement([offer], resources, 1))
      : [planOfferPlacement(offers, resources, request.count, {pack: request.policy?.pack})]
  const placement = new Map(plans.flatMap((plan) => [...plan.placement]))
  const unplaced = plans.flatMap((plan) =>
    Array.from({length: plan.unplaced}, () => ({
      needs: resources,
      best: plan.best,
      message: shortfallMessage(resources, plan.best),
    })),
  )
  // One task per host: a host that could not be asked did not get its task. With a count, the
  // tasks went to the hosts that answered, and what found no room is in `unplaced`.
  const unasked = request.count === undefined ? unreachable : []
  const report = await startPlaced(hosts, placement, request, options)
  return {...report, failed: [...unasked, ...report.failed], unplaced, offers}
}

/** Starts `placement.get(host)` tasks on each host. */
export async function startPlaced(
  hosts: Host[],
  placement: ReadonlyMap<string, number>,
  request: StartRequest,
  options: ListTasksOptions,
): Promise<StartReport> {
  const targets = hosts.filter((host) => (placement.get(host.name) ?? 0) > 0)
  const records = request.records ?? localTaskRecords(request.stateDir)
  const results = await runOverSsh(targets, options.connect, options.fanOut, async (session, signal) => {
    const what = await uploaded(session, request, signal)
    const started: TaskRecord[] = []
    for (let i = 0; i < (placement.get(session.host.name) ?? 0); i++) {
      const record = await startOne(session, what, request, {signal, records})
      started.push(record)
    }

    return started
  })
  return {
    project: request.project,
    started: results.flatMap((result) => (result.ok ? result.value : [])),
    failed: results.flatMap((result) => (result.ok ? [] : [{host: result.host, reason: result.failure.message}])),
    unplaced: [],
  }
}

async function uploaded(session: SshSession, request: StartRequest, signal: AbortSignal): Promise<RunWhat> {
  if (request.what.kind === 'command') return request.what
  const name = basename(request.what.script)
  checkFolderName(name, 'script name')
  const remote = posix.join(hostBinDir(request.remoteRoot, request.project, session.host.name), name)
  await uploadReplacing(session, request.what.script, remote, signal)
  return {kind: 'script', script: remote, args: request.what.args}
}

async function startOne(
  session: SshSession,
  what: RunWhat,
  request: StartRequest,
  {records, signal}: {records: TaskRecords; signal: AbortSignal},
): Promise<TaskRecord> {
  const id = makeTaskId()
  const host = session.host.name
  const dir = taskDir(request.remoteRoot, host, id)
  const startedAt = new Date().toISOString()
  const command = what.kind === 'command' ? what.command : [what.script, ...what.args].join(' ')
  const {project, remoteRoot} = request
  const asked = isEmptyRequest(request.resources) ? undefined : request.resources
  const reserved = asked === undefined ? {} : {resources: asked}
  const pending = {id, project, host, remoteRoot, pid: 0, pgid: 0, startTime: '', startedAt, command, dir, ...reserved}
  // Recorded first: a controller that dies mid-start leaves a record its successor can follow.
  await records.starting(pending)
  const resources = asked === undefined ? undefined : formatResourceWords(asked)
  const script = startTaskScript({dir, what, project: request.project, id, host, resources})
  const result = await session.exec(posixShell(script), {signal})
  const values = new Map(
    result.stdout
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)] as const),
  )
  const pid = Number(values.get('pid'))
  const pgid = Number(values.get('pgid'))
  if (result.code !== 0 || !Number.isInteger(pid) || pid <= 0 || !Number.isInteger(pgid)) {
    const detail = result.stderr.trim() || `exit ${result.code ?? result.signal}`
    throw new HostFailure(failure('remote-error', `${session.host.name}: cannot start a task: ${detail}`))
  }

  const startTime = values.get('start_time') ?? ''
  const machine = values.get('machine') ?? ''
  const boot = values.get('boot') ?? ''
  const identity = {...(machine === '' ? {} : {machine}), ...(boot === '' ? {} : {boot})}
  const record = {...pending, pid, pgid, startTime, ...identity}
  await records.started(record)
  return record
}
