import type {Host} from '../inventory/host.js'
import type {SshSession} from '../ssh/session.js'
import type {TaskRecord} from './task-store.js'
import type {ListTasksOptions, StoppedTask, StopReport, StopSelection} from './types.js'

import {UsageError} from '../errors.js'
import {runOverSsh} from '../fanout/run-over-ssh.js'
import {posixShell} from '../remote/shell-quote.js'
import {readHostTasks} from './list-tasks.js'
import {type ExpectedProcess, stopTaskScript} from './stop-script.js'
import {sandboxDirOf} from './task-paths.js'
import {type SandboxFields} from './task-state.js'
import {buildTaskViews, ownSandboxes, type TaskView} from './task-view.js'

const MESSAGES: Record<StoppedTask['outcome'], string> = {
  ended: 'had already ended: nothing to signal',
  foreign: 'its sandbox says another host (or machine) started it: NOT signalled from here',
  forced: 'killed (SIGKILL after the grace period)',
  missing: 'no sandbox on the host: nothing to signal',
  rebooted: 'the host rebooted after it started: its process is gone, nothing signalled',
  reused: 'its pid now belongs to another process (start time differs): NOT signalled',
  stopped: 'killed (ended on SIGTERM)',
  unreachable: 'host unreachable: not signalled',
}

/**
 * Stops tasks, one connection per host holding any: reads the host's sandboxes (one exec),
 * then runs the stop script of each selected task of its own that is not over yet. The pid,
 * group and start time it checks are the ones recorded locally when director started the task
 * (the sandbox's, for a task started elsewhere), and the script checks the host's identity
 * against the sandbox's owner first. A sandbox another host owns is `foreign`, never
 * signalled. Unknown ids are a UsageError: nothing is signalled.
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
    const host = session.host.name
    const listing = await readHostTasks(session, options.remoteRoot, signal)
    const views = buildTaskViews([{host, ok: true, listing}], records, project)
    const {others, own} = ownSandboxes(host, listing, records)
    const chosen = views.filter((view) => selection.kind !== 'ids' || selection.ids.includes(view.id))
    const live = chosen.filter((view) => selection.kind === 'ids' || view.state === 'running')
    // Asked for by id, recorded on this host, but its sandbox says another host: left alone.
    const foreign =
      selection.kind === 'ids'
        ? selection.ids.filter((id) => others.has(id) && records.some((r) => r.id === id && r.host === host))
        : []
    const stopped = await Promise.all(
      live.map(async (view) => {
        const record = records.find((r) => r.id === view.id)
        const fields = own.find((f) => f.id === view.id)
        if (fields?.rebooted === true) return done(view.id, host, 'rebooted')
        const expected = expectedOf(host, record, fields)
        if (expected === undefined) return done(view.id, host, 'ended')
        const dir = sandboxDirOf(options.remoteRoot, host, {id: view.id, record, legacy: fields?.legacy ?? false})
        return stopOne(session, {dir, expected, graceSeconds: options.graceSeconds, view})
      }),
    )
    return [...stopped, ...foreign.map((id) => done(id, host, 'foreign'))]
  })
  const tasks = results.flatMap((result) => {
    if (result.ok) return result.value
    const ids = records.filter(
      (r) => r.host === result.host && (selection.kind !== 'ids' || selection.ids.includes(r.id)),
    )
    return ids.map((record) => ({...done(record.id, result.host, 'unreachable'), message: result.failure.message}))
  })
  const notStopped = tasks.filter((task) =>
    ['foreign', 'missing', 'reused', 'unreachable'].includes(task.outcome),
  ).length
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

/** The process to check before signalling: the local record's, else the sandbox's; undefined when it never ran. */
function expectedOf(
  host: string,
  record: TaskRecord | undefined,
  sandbox: SandboxFields | undefined,
): ExpectedProcess | undefined {
  if (record !== undefined) {
    if (record.startTime === '') return undefined
    const {boot, machine, pgid, pid, startTime} = record
    return {pid, pgid, startTime, host, machine, boot}
  }

  if (sandbox?.pid === undefined || sandbox.pgid === undefined || sandbox.startTime === undefined) return undefined
  const {owner, pgid, pid, startTime} = sandbox
  return {pid, pgid, startTime, host, machine: owner?.machine, boot: owner?.boot}
}
