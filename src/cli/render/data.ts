import type {ChalkInstance} from 'chalk'

import type {DataReport} from '../../core/data/distribute-data.js'

import {failureWords} from './failure-words.js'
import {formatTable} from './table.js'
import {formatBytes, formatRate} from './units.js'

const SHOWN_FILES = 10

/** Before sending: what was found, what is skipped, and how files are placed. */
export function renderDataPlan(report: DataReport): string[] {
  const lines = [`Found ${report.found} files in ${report.dir}`]
  for (const skipped of report.skipped) lines.push(`skipped ${skipped.rel} (${skipped.reason})`)
  if (report.alreadyDelivered > 0)
    lines.push(`${report.alreadyDelivered} files were already delivered by an earlier run`)
  lines.push(
    report.placement.mode === 'mod'
      ? 'Placement: mod (the _<number> in each name picks host (n-1) mod N)'
      : `Placement: random, seed ${report.placement.seed} (--seed ${report.placement.seed} repeats it)`,
  )
  if (report.notSelected > 0)
    lines.push(`${report.notSelected} files belong to hosts left out by --limit: they stay here`)
  if (report.dryRun) {
    lines.push(
      ...formatTable([
        ['HOST', 'FILES', 'BYTES'],
        ...report.hosts.map((h) => [h.host, String(h.files), formatBytes(h.bytes)]),
      ]),
    )
  } else {
    lines.push('Distributing data...')
  }

  return lines
}

/** After sending: the per-host table, what was not delivered, and the summary. */
export function renderDataResult(report: DataReport, color: ChalkInstance): string[] {
  const rows = report.hosts.map((share) => [
    share.host,
    `${share.delivered}/${share.files}`,
    formatBytes(share.deliveredBytes),
    (share.ms / 1000).toFixed(1),
    formatRate(share.deliveredBytes, share.ms),
    share.failure
      ? color.red(`${failureWords(share.failure.kind)}: ${share.failure.message}`)
      : failuresText(share.failedChecksum, share.failed, color),
  ])
  const lines = formatTable([['HOST', 'FILES', 'BYTES', 'SECONDS', 'RATE', ''], ...rows])
  for (const undelivered of report.undelivered.slice(0, SHOWN_FILES)) {
    lines.push(
      color.red(
        `not delivered: ${undelivered.file} -> ${undelivered.host}: ${failureWords(undelivered.failure.kind)}: ${undelivered.failure.message}`,
      ),
    )
  }

  if (report.undelivered.length > SHOWN_FILES)
    lines.push(color.red(`... and ${report.undelivered.length - SHOWN_FILES} more not delivered (see --json)`))
  const total = report.hosts.reduce((sum, share) => sum + share.files, 0)
  const bytes = report.hosts.reduce((sum, share) => sum + share.deliveredBytes, 0)
  const summary =
    `Delivered ${report.delivered}/${total} files (${formatBytes(bytes)}) in ${(report.ms / 1000).toFixed(1)} s, ${formatRate(bytes, report.ms)}` +
    (report.undelivered.length > 0
      ? `; ${report.undelivered.length} not delivered, their sources kept in ${report.dir}`
      : '')
  lines.push(
    report.undelivered.length === 0 ? color.green(summary) : color.red(summary),
    `Manifest: ${report.manifest}`,
  )
  return lines
}

function failuresText(failedChecksum: number, failed: number, color: ChalkInstance): string {
  const parts = [
    failedChecksum > 0 ? `${failedChecksum} failed checksum` : '',
    failed > 0 ? `${failed} failed` : '',
  ].filter(Boolean)
  return parts.length === 0 ? '' : color.red(parts.join(', '))
}
