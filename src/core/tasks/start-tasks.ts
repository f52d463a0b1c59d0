import {basename, posix} from 'node:path'

import type {Host} from '../inventory/host.js'
import type {RunWhat} from '../remote/run-what.js'
import type {SshSession} from '../ssh/session.js'
import type {ListTasksOptions, StartReport, StartRequest} from './types.js'

import {runOverSsh} from '../fanout/run-over-ssh.js'
import {failure, HostFailure} from '../host-result.js'
import {checkFolderName} from '../remote/remote-path.js'
import {posixShell} from '../remote/shell-quote.js'
import {listHostTasks} from './list-tasks.js'
import {planTaskPlacement} from './plan-task-placement.js'
import {makeTaskId} from './task-id.js'
import {hostBinDir, taskDir} from './task-paths.js'
import {startTaskScript} from './task-scripts.js'
import {appendTaskRecords, readTaskRecords, type TaskRecord} from './task-store.js'
import {buildTaskViews} from './task-view.js'
import {uploadReplacing} from './upload-task-file.js'

/**
 * Starts tasks: one per host, or `count` spread over the hosts (fewest running tasks of the
 * project first; hosts that do not answer get none). Each is recorded in the local state file
 * as soon as its host confirms its pid.
 */
export async function startTasks(
  hosts: Host[],
  request: StartRequest,
  options: ListTasksOptions,
): Promise<StartReport> {
  checkFolderName(request.project, 'project name')
  let placement: Map<string, number>
  if (request.count === undefined) placement = new Map(hosts.map((host) => [host.name, 1]))
  else {
    const listings = await listHostTasks(hosts, {...options, project: request.project})
    const views = buildTaskViews(listings, readTaskRecords(request.stateDir), request.project)
    const running = new Map<string, number>()
    for (const view of views) if (view.state === 'running') running.set(view.host, (running.get(view.host) ?? 0) + 1)
    const answered = listings.filter((answer) => answer.ok).map((answer) => answer.host)
    placement = planTaskPlacement(answered, running, request.count)
  }

  return startPlaced(hosts, placement, request, options)
}

/** Starts `placement.get(host)` tasks on each host. */
export async function startPlaced(
  hosts: Host[],
  placement: ReadonlyMap<string, number>,
  request: StartRequest,
  options: ListTasksOptions,
): Promise<StartReport> {
  const targets = hosts.filter((host) => (placement.get(host.name) ?? 0) > 0)
  const results = await runOverSsh(targets, options.connect, options.fanOut, async (session, signal) => {
    const what = await uploaded(session, request, signal)
    const started: TaskRecord[] = []
    for (let i = 0; i < (placement.get(session.host.name) ?? 0); i++) {
      const record = await startOne(session, what, request, signal)
      appendTaskRecords(request.stateDir, [record])
      started.push(record)
    }

    return started
  })
  return {
    project: request.project,
    started: results.flatMap((result) => (result.ok ? result.value : [])),
    failed: results.flatMap((result) => (result.ok ? [] : [{host: result.host, reason: result.failure.message}])),
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
  signal: AbortSignal,
): Promise<TaskRecord> {
  const id = makeTaskId()
  const host = session.host.name
  const dir = taskDir(request.remoteRoot, host, id)
  const startedAt = new Date().toISOString()
  const result = await session.exec(posixShell(startTaskScript({dir, what, project: request.project, id, host})), {
    signal,
  })
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

  const command = what.kind === 'command' ? what.command : [what.script, ...what.args].join(' ')
  const {project, remoteRoot} = request
  const startTime = values.get('start_time') ?? ''
  const machine = values.get('machine') ?? ''
  const boot = values.get('boot') ?? ''
  const identity = {...(machine === '' ? {} : {machine}), ...(boot === '' ? {} : {boot})}
  return {id, project, host, remoteRoot, pid, pgid, startTime, startedAt, command, dir, ...identity}
}
