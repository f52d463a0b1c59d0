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

/**
 * Draws progress on stderr: a bar redrawn in place on a terminal (at most 10 times a second),
 * else the original's line every `intervalMs`. `stop()` prints the last state once.
 */
export class ProgressReporter {
  private latest: DataProgress | undefined
  private lastDraw = 0
  private stopped = false
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
    this.stream.write(`\r\u001B[2K${progressBar(progress, now - this.started)}`)
  }

  stop(): void {
    clearInterval(this.timer)
    if (this.latest === undefined || this.stopped) return
    this.stopped = true
    this.stream.write(
      this.stream.isTTY
        ? `\r\u001B[2K${progressBar(this.latest, Date.now() - this.started)}\n`
        : `${progressLine(this.latest)}\n`,
    )
  }
}
