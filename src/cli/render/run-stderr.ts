import type {ChalkInstance} from 'chalk'

import type {HostRun, RunReport} from '../../core/run/run-report.js'

/** Lines of each failed host's stderr shown under the table; the rest stays in its stderr file. */
const SHOWN_LINES = 5

/**
 * Under the table (without --stream or --gather): the first lines of the stderr of each host
 * that ran and did not end ok, from the report's heads, and a hint to --gather.
 */
export function renderFailedStderr(report: RunReport, color: ChalkInstance): string[] {
  const failed = report.hosts.filter((run) => run.state !== 'ok' && run.state !== 'interrupted' && run.stderrBytes > 0)
  if (failed.length === 0) return []
  const lines = failed.flatMap((run) => hostLines(run, color))
  lines.push(color.dim("see every host's stdout and stderr, identical ones folded, with --gather"))
  return lines
}

function hostLines(run: HostRun, color: ChalkInstance): string[] {
  const text = run.stderrHead.endsWith('\n') ? run.stderrHead.slice(0, -1) : run.stderrHead
  const all = text.split('\n')
  const shown = all.slice(0, SHOWN_LINES)
  const cut = all.length > SHOWN_LINES || Buffer.byteLength(run.stderrHead) < run.stderrBytes
  const exit = run.exitCode === null ? '' : ` (exit ${run.exitCode})`
  return [
    color.red(`stderr of ${run.host}${exit}:`),
    ...shown.map((line) => `  ${line}`),
    ...(cut ? [color.dim(`  ... the rest is in ${run.stderrFile}`)] : []),
  ]
}
