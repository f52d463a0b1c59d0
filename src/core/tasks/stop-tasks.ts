import type {Host} from '../inventory/host.js'
import type {SshSession} from '../ssh/session.js'
import type {ListTasksOptions} from './list-tasks.js'
import type {TaskRecord} from './task-store.js'

import {UsageError} from '../errors.js'
import {runOverSsh} from '../fanout/run-over-ssh.js'
import {posixShell} from '../ssh/shell-quote.js'
import {readHostTasks} from './list-tasks.js'
import {type ExpectedProcess, type StopOutcome, stopTaskScript} from './stop-script.js'
import {taskDir} from './task-scripts.js'
import {buildTaskViews, type TaskView} from './task-view.js'

/** Which tasks to stop: these ids, every running task of a project, or every running task. */
export type StopSelection = {kind: 'all'} | {kind: 'ids'; ids: string[]} | {kind: 'project'; project: string}

/** What happened to one task. `unreachable`: its host did not answer, nothing was signalled. */
export interface StoppedTask {
  id: string
  host: string
  outcome: 'unreachable' | StopOutcome
  message: string
}

export interface StopReport {
  tasks: StoppedTask[]
  /** Tasks that may still run: their pid was reused, the host did not answer, or no sandbox. */
  notStopped: number
}

const MESSAGES: Record<StoppedTask['outcome'], string> = {
  ended: 'had already ended: nothing to signal',
  forced: 'killed (SIGKILL after the grace period)',
  missing: 'no sandbox on the host: nothing to signal',
  reused: 'its pid now belongs to another process (start time differs): NOT signalled',
  stopped: 'killed (ended on SIGTERM)',
  unreachable: 'host unreachable: not signalled',
}

/**
 * Stops tasks, one connection per host holding any: reads the host's sandboxes (one exec),
 * then runs the stop script of each selected task that is not over yet. The pid, group and
 * start time it checks are the ones recorded locally when director started the task (the
 * sandbox's, for a task started elsewhere). Unknown ids are a UsageError: nothing is signalled.
 */
export async function stopTasks(
  hosts: Host[],
  records: TaskRecord[],
  selection: StopSelection,
  options: ListTasksOptions & {graceSeconds: number},
): Promise<StopReport> {
  if (selection.kind === 'ids') {
    const unknown = selection.ids.filter((id) => !records.some((record) => record.id === id))
    if (unknown.length > 0) throw new UsageError(`unknown task ${unknown.join(', ')}: see director task list`)
  }

  const hostsOfIds = new Set(
    selection.kind === 'ids' ? records.filter((r) => selection.ids.includes(r.id)).map((r) => r.host) : [],
  )
  const targets = selection.kind === 'ids' ? hosts.filter((host) => hostsOfIds.has(host.name)) : hosts
  const project = selection.kind === 'project' ? selection.project : undefined
  const results = await runOverSsh(targets, options.connect, options.fanOut, async (session, signal) => {
    const listing = await readHostTasks(session, options.remoteRoot, signal)
    const views = buildTaskViews([{host: session.host.name, ok: true, listing}], records, project)
    const chosen = views.filter((view) => selection.kind !== 'ids' || selection.ids.includes(view.id))
    const live = chosen.filter((view) => selection.kind === 'ids' || view.state === 'running')
    return Promise.all(
      live.map(async (view) => {
        const expected = expectedOf(view, records, listing.tasks)
        if (expected === undefined) return done(view.id, session.host.name, 'ended')
        const record = records.find((r) => r.id === view.id)
        const dir = taskDir(record?.remoteRoot ?? options.remoteRoot, view.id)
        return stopOne(session, {dir, expected, graceSeconds: options.graceSeconds, view})
      }),
    )
  })
  const tasks = results.flatMap((result) => {
    if (result.ok) return result.value
    const ids = records.filter(
      (r) => r.host === result.host && (selection.kind !== 'ids' || selection.ids.includes(r.id)),
    )
    return ids.map((record) => ({...done(record.id, result.host, 'unreachable'), message: result.failure.message}))
  })
  const notStopped = tasks.filter((task) => ['missing', 'reused', 'unreachable'].includes(task.outcome)).length
  return {tasks, notStopped}
}

async function stopOne(
  session: SshSession,
  {dir, expected, graceSeconds, view}: {dir: string; expected: ExpectedProcess; graceSeconds: number; view: TaskView},
): Promise<StoppedTask> {
  // The stop's own bound: the grace period, then a little for the KILL; not Ctrl-C (a half-done kill helps no one).
  const signal = AbortSignal.timeout((graceSeconds + 15) * 1000)
  const result = await session.exec(posixShell(stopTaskScript(dir, expected, graceSeconds)), {signal})
  // The script's one word is its last line: a chatty login shell may print lines before it.
  const word = result.stdout.trim().split('\n').at(-1)?.trim()
  const outcome = (Object.keys(MESSAGES) as Array<StoppedTask['outcome']>).find((key) => key === word)
  if (outcome === undefined)
    return {id: view.id, host: view.host, outcome: 'missing', message: `stop failed: ${result.stderr.trim()}`}
  return done(view.id, view.host, outcome)
}

function done(id: string, host: string, outcome: StoppedTask['outcome']): StoppedTask {
  return {id, host, outcome, message: MESSAGES[outcome]}
}

function expectedOf(
  view: TaskView,
  records: TaskRecord[],
  sandboxes: Array<{id: string; pid: number | undefined; pgid: number | undefined; startTime: string | undefined}>,
): ExpectedProcess | undefined {
  const record = records.find((r) => r.id === view.id)
  if (record !== undefined)
    return record.startTime === '' ? undefined : {pid: record.pid, pgid: record.pgid, startTime: record.startTime}
  const sandbox = sandboxes.find((fields) => fields.id === view.id)
  if (sandbox?.pid === undefined || sandbox.pgid === undefined || sandbox.startTime === undefined) return undefined
  return {pid: sandbox.pid, pgid: sandbox.pgid, startTime: sandbox.startTime}
}
