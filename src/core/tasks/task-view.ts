import type {Failure} from '../host-result.js'
import type {Resources} from '../resources/resource-words.js'
import type {TaskListing} from './parse-task-listing.js'
import type {TaskRecord} from './task-store.js'

import {DEFAULT_PROJECT} from '../remote/remote-path.js'
import {sandboxOwnership} from './task-owner.js'
import {deriveTaskState, isTerminal, killSignal, type SandboxFields, type TaskState} from './task-state.js'

/** One task as `task list` shows it. */
export interface TaskView {
  id: string
  project: string
  host: string
  pid: number | null
  state: TaskState
  /** ISO 8601, when known. */
  startedAt: string | null
  /** Seconds since it started, while it runs (host clock). */
  uptimeSeconds: number | null
  exitCode: number | null
  /** The signal a killed task died of (`SIGTERM`, `SIGKILL`), or null. */
  signal: string | null
  /** When it ended (host clock, ISO 8601), when known. */
  endedAt: string | null
  /** Why it is `lost`, or null. */
  reason: string | null
  /** What it asked for (`--cpus`, `--mem`), or null. */
  request: Resources | null
}

/** What a host answered: its listing, or why it could not be asked. */
export type HostListing = {host: string; ok: true; listing: TaskListing} | {host: string; ok: false; failure: Failure}

/**
 * A sandbox a host saw but left alone: another host's (`owner` names it), or ownerless and
 * unrecorded (`owner` null, see sandboxOwnership). No host lists, loses, stops or prunes it.
 */
export interface ForeignSandbox {
  host: string
  id: string
  owner: string | null
}

/** One host's sandboxes, split by sandboxOwnership: its own (a rebooted one's process is gone), and the rest. */
export function ownSandboxes(
  host: string,
  listing: TaskListing,
  records: TaskRecord[],
): {own: SandboxFields[]; foreign: ForeignSandbox[]; others: Set<string>} {
  const own: SandboxFields[] = []
  const foreign: ForeignSandbox[] = []
  const others = new Set<string>()
  const byId = new Map(records.map((record) => [record.id, record]))
  for (const fields of listing.tasks) {
    const record = byId.get(fields.id)
    const ownership = sandboxOwnership(fields, host, listing.self, record)
    if (ownership.kind === 'own') own.push(fields)
    else if (ownership.kind === 'rebooted') own.push({...fields, alive: false, wrapperAlive: false, rebooted: true})
    else {
      others.add(fields.id)
      // An ownerless sandbox recorded on another host is listed by that host: nothing to say here.
      if (ownership.kind === 'unclaimed') foreign.push({host, id: fields.id, owner: null})
      else if (fields.owner !== undefined) foreign.push({host, id: fields.id, owner: ownership.owner})
    }
  }

  return {own, foreign, others}
}

/**
 * Merges what the hosts said with the local records: every sandbox a host owns (of `project`,
 * when given), plus, as `lost`, every recorded task whose host did not answer (with the reason)
 * or whose sandbox is gone. A sandbox that is not the host's own is never listed nor lost (see
 * ownSandboxes). Hosts in the order given, tasks by id within a host.
 */
export function buildTaskViews(listings: HostListing[], records: TaskRecord[], project?: string): TaskView[] {
  const wanted = (p: string | undefined): boolean => project === undefined || p === project
  return listings.flatMap((answer) => {
    const mine = records.filter((record) => record.host === answer.host && wanted(record.project))
    const views: TaskView[] = []
    if (answer.ok) {
      const {clock} = answer.listing
      const {own, others} = ownSandboxes(answer.host, answer.listing, records)
      for (const fields of own) {
        const record = mine.find((r) => r.id === fields.id)
        const view = sandboxView(answer.host, fields, record, clock)
        if (wanted(view.project)) views.push(view)
      }

      const seen = new Set(own.map((fields) => fields.id))
      for (const record of mine)
        if (!seen.has(record.id) && !others.has(record.id)) views.push(lostView(record, 'its sandbox is gone'))
    } else {
      for (const record of mine) views.push(lostView(record, answer.failure.message))
    }

    return views.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  })
}

/** The sandboxes the hosts left alone (of `project`, when given), in the order given. */
export function foreignSandboxes(listings: HostListing[], records: TaskRecord[], project?: string): ForeignSandbox[] {
  return listings.flatMap((answer) => {
    if (!answer.ok) return []
    const {foreign} = ownSandboxes(answer.host, answer.listing, records)
    const projectOf = new Map(answer.listing.tasks.map((fields) => [fields.id, fields.project ?? DEFAULT_PROJECT]))
    return foreign.filter((sandbox) => project === undefined || projectOf.get(sandbox.id) === project)
  })
}

function sandboxView(
  host: string,
  fields: SandboxFields,
  record: TaskRecord | undefined,
  clock: number | undefined,
): TaskView {
  const state = deriveTaskState(fields)
  const started = fields.startedAt === undefined ? Number.NaN : Date.parse(fields.startedAt) / 1000
  const running = state === 'running' && clock !== undefined && !Number.isNaN(started)
  return {
    id: fields.id,
    project: fields.project ?? record?.project ?? DEFAULT_PROJECT,
    host,
    pid: fields.pid ?? record?.pid ?? null,
    state,
    startedAt: fields.startedAt ?? record?.startedAt ?? null,
    uptimeSeconds: running ? Math.max(0, Math.round(clock - started)) : null,
    exitCode: fields.exitCode ?? null,
    signal: killSignal(fields),
    endedAt: isTerminal(state) ? (fields.endedAt ?? fields.killedAt ?? null) : null,
    reason: state === 'lost' ? lostReason(fields) : null,
    request: requestOf(fields, record),
  }
}

/** What it asked for: its sandbox says, else its record. */
function requestOf(fields: SandboxFields, record: TaskRecord | undefined): Resources | null {
  return fields.request ?? record?.resources ?? null
}

function lostView(record: TaskRecord, reason: string): TaskView {
  return {
    id: record.id,
    project: record.project,
    host: record.host,
    pid: record.pid,
    state: 'lost',
    startedAt: record.startedAt,
    uptimeSeconds: null,
    exitCode: null,
    signal: null,
    endedAt: null,
    reason,
    request: record.resources ?? null,
  }
}

function lostReason(fields: SandboxFields): string {
  return fields.rebooted === true
    ? 'the host rebooted after it started (boot id differs)'
    : 'the process is gone and left no exit code'
}

/** How many tasks are in each state. */
export function countStates(views: TaskView[]): Record<TaskState, number> {
  const counts: Record<TaskState, number> = {staging: 0, running: 0, finished: 0, failed: 0, killed: 0, lost: 0}
  for (const view of views) counts[view.state] += 1
  return counts
}
