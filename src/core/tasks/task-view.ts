import type {Failure} from '../host-result.js'
import type {TaskListing} from './parse-task-listing.js'
import type {TaskRecord} from './task-store.js'

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
}

/** What a host answered: its listing, or why it could not be asked. */
export type HostListing = {host: string; ok: true; listing: TaskListing} | {host: string; ok: false; failure: Failure}

/**
 * Merges what the hosts said with the local records: every sandbox found (of `project`, when
 * given), plus, as `lost`, every recorded task whose host did not answer (with the reason) or
 * whose sandbox is gone. Hosts in the order given, tasks by id within a host.
 */
export function buildTaskViews(listings: HostListing[], records: TaskRecord[], project?: string): TaskView[] {
  const wanted = (p: string | undefined): boolean => project === undefined || p === project
  return listings.flatMap((answer) => {
    const mine = records.filter((record) => record.host === answer.host && wanted(record.project))
    const views: TaskView[] = []
    if (answer.ok) {
      const {clock, tasks} = answer.listing
      for (const fields of tasks) {
        const record = mine.find((r) => r.id === fields.id)
        const view = sandboxView(answer.host, fields, record, clock)
        if (wanted(view.project)) views.push(view)
      }

      const seen = new Set(tasks.map((fields) => fields.id))
      for (const record of mine) if (!seen.has(record.id)) views.push(lostView(record, 'its sandbox is gone'))
    } else {
      for (const record of mine) views.push(lostView(record, answer.failure.message))
    }

    return views.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
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
    project: fields.project ?? record?.project ?? 'default',
    host,
    pid: fields.pid ?? record?.pid ?? null,
    state,
    startedAt: fields.startedAt ?? record?.startedAt ?? null,
    uptimeSeconds: running ? Math.max(0, Math.round(clock - started)) : null,
    exitCode: fields.exitCode ?? null,
    signal: killSignal(fields),
    endedAt: isTerminal(state) ? (fields.endedAt ?? fields.killedAt ?? null) : null,
    reason: state === 'lost' ? 'the process is gone and left no exit code' : null,
  }
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
  }
}

/** How many tasks are in each state. */
export function countStates(views: TaskView[]): Record<TaskState, number> {
  const counts: Record<TaskState, number> = {staging: 0, running: 0, finished: 0, failed: 0, killed: 0, lost: 0}
  for (const view of views) counts[view.state] += 1
  return counts
}
