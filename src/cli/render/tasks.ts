import type {ChalkInstance} from 'chalk'

import type {TaskState} from '../../core/tasks/task-state.js'
import type {PruneReport, StartReport, StopReport, TaskListReport} from '../../core/tasks/types.js'

import {describeResources} from '../../core/resources/resource-words.js'
import {formatTable} from './table.js'
import {formatDuration} from './units.js'

function stateColor(color: ChalkInstance, state: TaskState): (text: string) => string {
  if (state === 'running' || state === 'finished') return color.green
  if (state === 'staging' || state === 'killed') return color.yellow
  return color.red
}

/** `started <id> @<host> pid <pid>` per task, the hosts where starting failed, the tasks that fit nowhere. */
export function renderStarted(report: StartReport, color: ChalkInstance): string[] {
  const unplaced = report.unplaced.length > 0 ? `, ${report.unplaced.length} task(s) not started: no room` : ''
  return [
    ...report.started.map((task) => `${color.green('started')} ${task.id} @${task.host} pid ${task.pid}`),
    ...report.failed.map((host) => `${color.red('failed ')} @${host.host}: ${host.reason}`),
    ...report.unplaced.map((task) => `${color.red('not started')}: ${task.message}`),
    `${report.started.length} task(s) started in project ${report.project}, ${report.failed.length} host(s) failed${unplaced}`,
  ]
}

/** Per host, the sandboxes it left alone: another host's, or ownerless (older layout) and unrecorded. */
function renderForeign(report: TaskListReport): string[] {
  const hosts = [...new Set(report.foreign.map((sandbox) => sandbox.host))]
  return hosts.map((host) => {
    const mine = report.foreign.filter((sandbox) => sandbox.host === host)
    const words = mine.map((sandbox) => `${sandbox.id} (${sandbox.owner ?? 'older layout, no owner, no record'})`)
    return `@${host}: ${mine.length} sandbox(es) not this host's, left alone: ${words.join(', ')}`
  })
}

/** The table of `task list`, then the unreachable hosts, the sandboxes left alone and the counts. */
export function renderTaskList(report: TaskListReport, color: ChalkInstance): string[] {
  const hidden = report.hidden > 0 ? [`${report.hidden} older ended task(s) not shown (--all shows every one)`] : []
  const foreign = renderForeign(report)
  if (report.tasks.length === 0 && report.unreachable.length === 0) return ['no tasks', ...foreign, ...hidden]
  const requests = report.tasks.some((task) => task.request !== null)
  const rows = report.tasks.map((task) => [
    task.id,
    task.host,
    task.pid === null ? '-' : String(task.pid),
    stateColor(color, task.state)(task.state),
    task.uptimeSeconds === null ? '-' : formatDuration(task.uptimeSeconds * 1000),
    task.signal ?? (task.exitCode === null ? '-' : String(task.exitCode)),
    // The REQUEST column only when some task asked for resources: the table stays as it was otherwise.
    ...(requests ? [task.request === null ? '-' : describeResources(task.request)] : []),
    task.reason ?? '',
  ])
  const header = ['ID', 'HOST', 'PID', 'STATE', 'UPTIME', 'EXIT', ...(requests ? ['REQUEST'] : []), '']
  const table = formatTable([header, ...rows])
  const counts = Object.entries(report.counts)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${n} ${state}`)
  return [
    ...table,
    ...report.unreachable.map((host) => color.red(`unreachable @${host.host}: ${host.reason}`)),
    ...foreign,
    `${report.tasks.length} task(s)${counts.length > 0 ? `: ${counts.join(', ')}` : ''}`,
    ...hidden,
  ]
}

/** One line per task: what the stop did. */
export function renderStopped(report: StopReport, color: ChalkInstance): string[] {
  if (report.tasks.length === 0) return ['no running task to stop']
  return report.tasks.map((task) => {
    const ok = ['ended', 'forced', 'rebooted', 'stopped'].includes(task.outcome)
    return `${ok ? color.green(task.outcome) : color.red(task.outcome)} ${task.id} @${task.host}: ${task.message}`
  })
}

/** One line per pruned task, the hosts not asked, then the count. */
export function renderPruned(report: PruneReport, color: ChalkInstance): string[] {
  return [
    ...report.pruned.map((task) => `removed ${task.id} @${task.host} (${task.state})`),
    ...report.unreachable.map((host) => color.red(`unreachable @${host.host}: ${host.reason}: its tasks were kept`)),
    `${report.pruned.length} ended task(s) removed`,
  ]
}
