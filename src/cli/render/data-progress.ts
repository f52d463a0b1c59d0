import type {DataProgress} from '../../core/data/distribute-data.js'

import {formatBytes, formatSeconds} from './units.js'

/** The original tool's line, printed every few seconds when stderr is not a terminal. */
export function progressLine(progress: DataProgress): string {
  return (
    `Transferred ${progress.filesDone}/${progress.filesTotal} files | ${progress.failedChecksum} files failed checksum` +
    ` | ${progress.failed} files failed`
  )
}

/** The live bar on a terminal: files, bytes, rate, ETA and failures. */
export function progressBar(progress: DataProgress, elapsedMs: number, width = 24): string {
  const fraction = progress.bytesTotal === 0 ? 1 : Math.min(1, progress.bytesSent / progress.bytesTotal)
  const filled = Math.round(fraction * width)
  const rate = progress.bytesSent / Math.max(elapsedMs / 1000, 0.001)
  const eta = rate > 0 ? (progress.bytesTotal - progress.bytesSent) / rate : Number.POSITIVE_INFINITY
  return (
    `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${progress.filesDone}/${progress.filesTotal} files ` +
    `${formatBytes(progress.bytesSent)}/${formatBytes(progress.bytesTotal)} ${formatBytes(rate)}/s ETA ${formatSeconds(eta)}` +
    ` | ${progress.failedChecksum} failed checksum, ${progress.failed} failed`
  )
}

/** Host lines shown under the bar; the rest are summed up in one line. */
const SHOWN_HOSTS = 8

/** One line per host under the bar: files and bytes so far, failures. */
export function hostProgressLines(progress: DataProgress): string[] {
  const lines = progress.hosts
    .slice(0, SHOWN_HOSTS)
    .map(
      (host) =>
        `  ${host.host}  ${host.filesDone}/${host.filesTotal} files  ${formatBytes(host.bytesSent)}/${formatBytes(host.bytesTotal)}` +
        (host.failed > 0 ? `  ${host.failed} failed` : ''),
    )
  const rest = progress.hosts.length - SHOWN_HOSTS
  if (rest > 0) lines.push(`  ... and ${rest} more hosts`)
  return lines
}

/**
 * Draws progress on stderr: on a terminal, a bar and a line per host redrawn in place (at most
 * 10 times a second); otherwise the original's line every `intervalMs`. `stop()` prints the last
 * state once.
 */
export class ProgressReporter {
  private latest: DataProgress | undefined
  private lastDraw = 0
  private stopped = false
  /** Lines drawn last time, to move back over on a terminal. */
  private drawn = 0
  private readonly started = Date.now()
  private readonly timer: NodeJS.Timeout | undefined

  constructor(
    private readonly stream: NodeJS.WriteStream,
    intervalMs = 3000,
  ) {
    if (!stream.isTTY) {
      this.timer = setInterval(() => this.latest && stream.write(`${progressLine(this.latest)}\n`), intervalMs)
      this.timer.unref()
    }
  }

  update(progress: DataProgress): void {
    this.latest = progress
    const now = Date.now()
    if (!this.stream.isTTY || now - this.lastDraw < 100) return
    this.lastDraw = now
    this.draw(progress)
  }

  private draw(progress: DataProgress): void {
    const lines = [progressBar(progress, Date.now() - this.started), ...hostProgressLines(progress)]
    // Up over what was drawn before, then each line cleared and rewritten.
    const up = this.drawn > 1 ? `\u001B[${this.drawn - 1}A` : ''
    this.stream.write(`${up}\r${lines.map((line) => `\u001B[2K${line}`).join('\n')}`)
    this.drawn = lines.length
  }

  stop(): void {
    clearInterval(this.timer)
    if (this.latest === undefined || this.stopped) return
    this.stopped = true
    if (this.stream.isTTY) {
      this.draw(this.latest)
      this.stream.write('\n')
    } else {
      this.stream.write(`${progressLine(this.latest)}\n`)
    }
  }
}
