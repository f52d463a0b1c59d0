import type {ChalkInstance} from 'chalk'

import type {FileFailure} from '../../core/data/deliver-to-host.js'
import type {DataReport, HostShare} from '../../core/data/types.js'
import type {Failure} from '../../core/host-result.js'

import {failureWords} from './failure-words.js'
import {formatTable} from './table.js'
import {countOf, formatBytes, formatRate} from './units.js'

/** Lines of files not delivered shown; --json has them all. */
const SHOWN_GROUPS = 10

/** Before sending: what was found, what is skipped, and how files are placed. */
export function renderDataPlan(report: DataReport): string[] {
  const lines = [`Found ${countOf(report.found, 'data file')} in ${report.dir}`]
  for (const skipped of report.skipped) lines.push(`skipped ${skipped.rel} (${skipped.reason})`)
  // With nothing to send, the result says so (and why) in one line.
  if (toSend(report) === 0) return lines
  if (report.alreadyDelivered > 0) lines.push(`${countOf(report.alreadyDelivered, 'file')} delivered by earlier runs`)
  lines.push(placementLine(report))
  if (report.notSelected > 0)
    lines.push(`${countOf(report.notSelected, 'file')} belong to hosts left out by --limit: they stay here`)
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

/** How the files of this run are placed, and why when `auto` chose `random`. */
function placementLine({placement}: DataReport): string {
  const resumed =
    placement.resumed > 0 ? `${countOf(placement.resumed, 'file')} keep the hosts an earlier run gave them` : ''
  if (placement.mode === 'mod') {
    return ['Placement: mod (the _<number> in each name picks host (n-1) mod N)', resumed].filter(Boolean).join('; ')
  }

  const parts = [
    placement.seed === undefined
      ? 'Placement: random'
      : `Placement: random, seed ${placement.seed} (--seed ${placement.seed} repeats it)`,
    resumed,
  ]
  const {count, examples} = placement.unnumbered
  if (count > 0) {
    const names = examples.map((name) => `"${name}"`).join(', ')
    const which = count > examples.length ? `, e.g. ${names}` : `: ${names}`
    parts.push(`${count === 1 ? '1 file has' : `${count} files have`} no _<number> for mod${which}`)
  }

  return parts.filter(Boolean).join('; ')
}

/** Files this run set out to deliver: the selected hosts' shares, and the conflicts found first. */
function toSend(report: DataReport): number {
  return report.hosts.reduce((sum, share) => sum + share.files, 0) + conflicts(report)
}

function conflicts(report: DataReport): number {
  return report.undelivered.filter((entry) => entry.failure.kind === 'conflict').length
}

/**
 * After sending: the per-host table (failed hosts first), what was not delivered, and the
 * summary. "Failed" means not delivered, as in the progress line and --json.
 */
export function renderDataResult(report: DataReport, color: ChalkInstance): string[] {
  const total = toSend(report)
  if (total === 0) {
    const why =
      report.notSelected > 0
        ? `the ${countOf(report.notSelected, 'file')} left belong to hosts left out by --limit`
        : `${countOf(report.alreadyDelivered, 'file')} delivered earlier`
    return [color.green(`Nothing left to send: ${why}`), `Manifest: ${report.manifest}`]
  }

  const shares = [
    ...report.hosts.filter((share) => share.failed > 0),
    ...report.hosts.filter((share) => share.failed === 0),
  ]
  const rows = shares.map((share) => [
    share.host,
    `${share.delivered}/${share.files}`,
    formatBytes(share.deliveredBytes),
    (share.ms / 1000).toFixed(1),
    formatRate(share.deliveredBytes, share.ms),
    failureText(share, color),
  ])
  const lines = formatTable([['HOST', 'FILES', 'BYTES', 'SECONDS', 'RATE', ''], ...rows])
  const groups = groupFailures(report.undelivered)
  for (const group of groups.slice(0, SHOWN_GROUPS)) {
    const [first = ''] = group.files
    const files = group.files.length === 1 ? first : `${group.files.length} files (${first}, ...)`
    const {kind, message} = group.failure
    lines.push(color.red(`not delivered: ${files} -> ${group.host}: ${failureWords(kind)}: ${message}`))
  }

  const failed = report.undelivered.length
  const hidden = groups.slice(SHOWN_GROUPS).reduce((sum, group) => sum + group.files.length, 0)
  if (hidden > 0) lines.push(color.red(`... and ${hidden} more not delivered (see --json)`))
  const bytes = report.hosts.reduce((sum, share) => sum + share.deliveredBytes, 0)
  const kept = failed === 1 ? 'its source kept' : 'their sources kept'
  const summary =
    `Delivered ${report.delivered}/${countOf(total, 'file')} (${formatBytes(bytes)}) in ${(report.ms / 1000).toFixed(1)} s, ${formatRate(bytes, report.ms)}` +
    (failed > 0 ? `; ${failed} failed, ${kept} in ${report.dir}` : '')
  lines.push(failed === 0 ? color.green(summary) : color.red(summary), `Manifest: ${report.manifest}`)
  return lines
}

/** Files not delivered, one group per host and cause (a host that was down is one line, not one per file). */
function groupFailures(failures: FileFailure[]): Array<{host: string; failure: Failure; files: string[]}> {
  const groups = new Map<string, {host: string; failure: Failure; files: string[]}>()
  for (const {file, host, failure} of failures) {
    const key = JSON.stringify([host, failure.kind, failure.message])
    const group = groups.get(key)
    if (group === undefined) groups.set(key, {host, failure, files: [file]})
    else group.files.push(file)
  }

  return [...groups.values()]
}

function failureText(share: HostShare, color: ChalkInstance): string {
  if (share.failure) return color.red(`${failureWords(share.failure.kind)}: ${share.failure.message}`)
  if (share.failed === 0) return ''
  const checksum = share.failedChecksum > 0 ? ` (${share.failedChecksum} checksum)` : ''
  return color.red(`${share.failed} failed${checksum}`)
}
