import type {ChalkInstance} from 'chalk'

import type {RunEvents} from '../../core/run/run-on-fleet.js'
import type {HostRun} from '../../core/run/run-report.js'

import {compactHostList} from '../../core/inventory/compact-host-list.js'

/** Where a run stands, as the progress line shows it. */
export interface RunProgress {
  total: number
  done: number
  ok: number
  failed: number
  /** Hosts running now, in the order they started: the oldest first. */
  running: ReadonlySet<string>
}

/**
 * The one progress line: `412/1008 done, 405 ok, 7 failed, 64 running: h1 h2 h3 +61`, as many
 * running names (the longest running first) as fit in `width` columns. It never grows with the
 * fleet: a thousand hosts are still one line.
 */
export function formatProgressLine(progress: RunProgress, width: number, color: ChalkInstance): string {
  const failed = progress.failed === 0 ? '0 failed' : color.red(`${progress.failed} failed`)
  const head = `${progress.done}/${progress.total} done, ${progress.ok} ok, ${failed}, ${progress.running.size} running`
  // Colour codes take no columns: measure the plain text.
  let used = head.length - failed.length + `${progress.failed} failed`.length
  const names: string[] = []
  let left = progress.running.size
  for (const name of progress.running) {
    const more = left - 1 > 0 ? ` +${left - 1}`.length : 0
    const cost = (names.length === 0 ? 2 : 1) + name.length
    if (used + cost + more > width) break
    names.push(name)
    used += cost
    left--
  }

  const list = names.length === 0 ? '' : `: ${names.join(' ')}`
  return `${head}${list}${left > 0 && names.length > 0 ? ` +${left}` : ''}`
}

/** The line printed at the end when some hosts never finished (Ctrl-C, or hosts never started). */
export function formatUnfinished(hosts: string[], color: ChalkInstance): string | undefined {
  if (hosts.length === 0) return undefined
  return color.yellow(`never finished (${hosts.length}): ${compactHostList(hosts)}`)
}

/** Counts runs as their events come: the state behind the progress line and the unfinished list. */
export class RunTracker {
  private hosts: string[] = []
  private readonly runningNow = new Set<string>()
  private readonly finished = new Set<string>()
  private doneCount = 0
  private okCount = 0
  private failedCount = 0

  /** Hooks to call on each event, after the tracker has counted it. */
  constructor(private readonly changed: (final: boolean) => void = () => {}) {}

  readonly events: RunEvents = {
    onRunStart: (hosts) => {
      this.hosts = hosts
    },
    onHostStart: (host) => {
      this.runningNow.add(host)
      this.changed(false)
    },
    onHostDone: (run: HostRun) => {
      this.runningNow.delete(run.host)
      this.doneCount++
      if (run.state === 'ok') this.okCount++
      else if (run.state !== 'interrupted') this.failedCount++
      // Cut short by Ctrl-C is not finished: it is named at the end.
      if (run.state !== 'interrupted') this.finished.add(run.host)
      this.changed(this.doneCount === this.hosts.length)
    },
  }

  progress(): RunProgress {
    return {
      total: this.hosts.length,
      done: this.doneCount,
      ok: this.okCount,
      failed: this.failedCount,
      running: this.runningNow,
    }
  }

  /** Hosts that did not end on their own: cut short by Ctrl-C, or never started. */
  unfinished(): string[] {
    return this.hosts.filter((host) => !this.finished.has(host))
  }
}
