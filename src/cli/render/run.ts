import type {ChalkInstance} from 'chalk'

import type {RunOnFleetReport} from '../../core/run/run-on-fleet.js'
import type {HostRun} from '../../core/run/run-report.js'

import {failureWords} from './failure-words.js'
import {formatTable} from './table.js'
import {formatBytes, formatDuration} from './units.js'

/** The summary of `director run`: one row per host in inventory order, the counts, the folder. */
export function renderRunSummary(report: RunOnFleetReport, color: ChalkInstance): string[] {
  const lines: string[] = []
  if (report.rerun && report.rerun.missing.length > 0)
    lines.push(color.yellow(`not in the inventory now, skipped: ${report.rerun.missing.join(', ')}`))
  if (report.hosts.length === 0) {
    lines.push(`nothing to rerun: no host of run ${report.rerun?.from ?? '?'} ended that way`)
    return lines
  }

  const rows = report.hosts.map((run) => [
    run.host,
    stateText(run, color),
    run.exitCode === null ? (run.signal ?? '-') : String(run.exitCode),
    formatDuration(run.timings.totalMs),
    formatBytes(run.stdoutBytes + run.stderrBytes),
    run.files === 0 ? '' : `${run.files} files, ${formatBytes(run.filesBytes)}`,
    run.failure && run.state !== 'interrupted' ? color.dim(run.failure.message) : '',
  ])
  lines.push(...formatTable([['HOST', 'STATE', 'EXIT', 'TIME', 'OUTPUT', 'FILES', ''], ...rows]))
  const {counts} = report
  const total = report.hosts.length
  const parts = [`${counts.ok}/${total} hosts ok`]
  for (const state of ['failed', 'timeout', 'unreachable', 'interrupted'] as const)
    if (counts[state] > 0) parts.push(`${counts[state]} ${state === 'timeout' ? 'timed out' : state}`)
  const summary = parts.join(', ')
  lines.push(counts.ok === total ? color.green(summary) : color.red(summary), `output: ${report.folder}`)
  return lines
}

function stateText(run: HostRun, color: ChalkInstance): string {
  switch (run.state) {
    case 'ok': {
      return color.green('ok')
    }

    case 'timeout': {
      return color.red('timed out')
    }

    case 'failed': {
      return color.red(run.failure && run.exitCode === null ? failureWords(run.failure.kind) : 'failed')
    }

    case 'interrupted': {
      return color.yellow('interrupted')
    }

    default: {
      return color.red(run.failure ? `${run.state}: ${failureWords(run.failure.kind)}` : run.state)
    }
  }
}
