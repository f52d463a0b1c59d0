import type {ChalkInstance} from 'chalk'

import type {Failure} from '../../core/host-result.js'
import type {ListReport} from '../../core/local/list-local.js'
import type {PingReport} from '../../core/local/ping-local.js'
import type {ShutdownReport} from '../../core/local/shutdown-local.js'
import type {StartReport} from '../../core/local/types.js'

import {failureWords} from './failure-words.js'
import {formatTable} from './table.js'
import {formatDuration} from './units.js'

/** `start_local`: one line per port, in port.conf order. */
export function renderStart(report: StartReport, c: ChalkInstance): string[] {
  const lines = report.results.map((r) => {
    const at = `${r.host}:${r.port}`
    if (!r.ok) return c.red(`Service not started @ ${at}: ${r.failure.message}`)
    if (r.status === 'already-running') return `Service @ ${at} already running (pid ${r.pid})`
    return c.green(`Service started @ ${at}`)
  })
  if (report.foreground && report.results.some((r) => r.ok && r.status === 'started')) {
    lines.push(c.dim(`Serving in the foreground (pid ${process.pid}); press Ctrl-C to stop.`))
  }

  return lines
}

/** `ping`: port, ON/OFF, the reply or the reason, round-trip time. */
export function renderPing(report: PingReport, c: ChalkInstance): string[] {
  const rows = report.results.map((r) =>
    r.ok
      ? [String(r.port), c.green('ON'), r.reply, `${r.ms.toFixed(1)} ms`]
      : [String(r.port), c.red('OFF'), describeFailure(r.failure), ''],
  )
  return formatTable([['PORT', 'STATE', 'REPLY', 'TIME'], ...rows])
}

/** `shutdown_local`: one line per recorded service, or why there was nothing to do. */
export function renderShutdown(report: ShutdownReport, c: ChalkInstance): string[] {
  if (report.results.length === 0) return [`No local services running (nothing recorded in ${report.stateFile}).`]
  return report.results.map((r) => {
    if (!r.ok) return c.red(`Service @ port ${r.port} not stopped (pid ${r.pid}): ${r.failure.message}`)
    switch (r.outcome) {
      case 'stale': {
        return `Service @ port ${r.port} was not running (pid ${r.pid} gone); record removed`
      }

      case 'stopped': {
        return `Service @ port ${r.port} stopped (pid ${r.pid})`
      }

      case 'terminated': {
        return c.yellow(`Service @ port ${r.port} did not stop in time: terminated with SIGTERM (pid ${r.pid})`)
      }
    }

    return ''
  })
}

/** `list`: the services of our state file. */
export function renderList(report: ListReport, c: ChalkInstance): string[] {
  if (report.services.length === 0) return [`No local services recorded in ${report.stateFile}.`]
  const rows = report.services.map((s) => [
    String(s.pid),
    String(s.port),
    s.host,
    formatDuration(s.uptimeMs),
    s.status === 'alive' ? c.green('alive') : c.yellow('stale'),
    s.foreground ? 'foreground' : 'detached',
  ])
  return formatTable([['PID', 'PORT', 'HOST', 'UPTIME', 'STATUS', 'MODE'], ...rows])
}

function describeFailure(failure: Failure): string {
  return `${failureWords(failure.kind)}: ${failure.message}`
}
