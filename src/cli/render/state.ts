import type {ChalkInstance} from 'chalk'

import type {ClearReport, StateReport} from '../../core/tasks/keep-state.js'

import {formatTable} from './table.js'

/** Per project: the leader (since, lease left), the standbys, what is kept, then its tasks as a table. */
export function renderState(report: StateReport, color: ChalkInstance): string[] {
  if (report.projects.length === 0) return [`no projects in ${report.store}`]
  return report.projects.flatMap((project) => {
    const {desired, leader} = project
    const led =
      leader === null
        ? color.yellow('no leader')
        : `led by ${color.bold(leader.id)} since ${leader.since ?? '?'} (lease ${leader.leaseLeft} s left)`
    const standbys = project.standbys.map((s) => `${s.id} (lease ${s.leaseLeft} s left)`).join(', ')
    const kept =
      desired === null
        ? 'desired: not recorded'
        : `desired: ${desired.count} task(s), restart ${desired.restart}, every ${desired.intervalSeconds} s` +
          (desired.hooks.length > 0 ? `, hooks ${desired.hooks.join(', ')}` : '')
    const rows = project.tasks.map((task) => [task.id, task.host, task.state])
    return [
      `${color.bold(project.project)}: ${led}`,
      `  standbys: ${standbys === '' ? 'none' : standbys}`,
      `  ${kept}`,
      ...(project.stopRequest === null ? [] : [`  stop requested: ${project.stopRequest}`]),
      ...(rows.length === 0
        ? ['  no tasks recorded']
        : formatTable([['ID', 'HOST', 'STATE'], ...rows]).map((l) => `  ${l}`)),
    ]
  })
}

/** What `state clear` removed, and that the hosts were not touched. */
export function renderCleared(report: ClearReport): string[] {
  const forced = report.forcedLeader === null ? '' : ` (forced: ${report.forcedLeader} held the lease)`
  return [
    `removed ${report.removed} key(s) of ${report.project} from ${report.store}${forced}`,
    `tasks on the hosts were not touched: director task stop --project ${report.project} stops them`,
  ]
}
