import type {ChalkInstance} from 'chalk'

import type {MkdirReport} from '../../core/mkdir/mkdir-on-hosts.js'

import {failureWords} from './failure-words.js'

/** `created <path> @<host>` per host in inventory order, then the summary. */
export function renderMkdir(report: MkdirReport, color: ChalkInstance): string[] {
  const lines = report.results.map((result) => {
    if (!result.ok) {
      return `${color.red('failed')}  @${result.host}: ${failureWords(result.failure.kind)}: ${result.failure.message}`
    }

    const word = result.value.outcome === 'created' ? color.green('created') : color.yellow('exists ')
    return `${word} ${result.value.path} @${result.host}`
  })
  const total = report.results.length
  const summary = `${total - report.failed}/${total} hosts ok (${report.created} created, ${report.exists} existed, ${report.failed} failed)`
  lines.push(report.failed === 0 ? color.green(summary) : color.red(summary))
  return lines
}
