import type {DataProgress, HostProgress} from '../../core/data/types.js'

import {failureWords} from './failure-words.js'
import {formatBytes, formatDuration} from './units.js'

/**
 * The original tool's line, printed every few seconds when stderr is not a terminal. "failed"
 * counts every file not delivered, whatever the cause; the checksum failures are among them.
 */
export function progressLine(progress: DataProgress): string {
  return (
    `Transferred ${progress.filesDone}/${progress.filesTotal} files | ${progress.failedChecksum} files failed checksum` +
    ` | ${progress.failed} files failed`
  )
}

/** The bar's width in characters when the line has room for it, and the least it shrinks to. */
const BAR_WIDTH = 24
const MIN_BAR_WIDTH = 8

/**
 * The live bar on a terminal of `columns` columns: files, bytes, rate, then the ETA while it
 * runs or the time taken once finished, and the failures. The line never wraps: on a narrow
 * terminal the bar shrinks, then the rate, the bar and the bytes are left out, in that order;
 * the files, the time and the failures stay.
 */
export function progressBar(progress: DataProgress, elapsedMs: number, columns = 80): string {
  const fraction = progress.bytesTotal === 0 ? 1 : Math.min(1, progress.bytesSent / progress.bytesTotal)
  const seconds = Math.max(elapsedMs / 1000, 0.001)
  const rate = progress.bytesSent / seconds
  const eta = rate > 0 ? (progress.bytesTotal - progress.bytesSent) / rate : Number.POSITIVE_INFINITY
  const files = `${progress.filesDone}/${progress.filesTotal} files`
  const bytes = `${formatBytes(progress.bytesSent)}/${formatBytes(progress.bytesTotal)}`
  const speed = `${formatBytes(rate)}/s`
  const when = progress.finished ? `done in ${formatDuration(seconds * 1000)}` : `ETA ${formatDuration(eta * 1000)}`
  const failed =
    progress.failedChecksum > 0
      ? `| ${progress.failed} failed (${progress.failedChecksum} checksum)`
      : `| ${progress.failed} failed`
  const bar = (width: number): string => {
    const filled = Math.round(fraction * width)
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`
  }

  const text = [files, bytes, speed, when, failed].join(' ')
  const width = Math.min(BAR_WIDTH, columns - 2 - text.length)
  return fitLine(
    [
      ...(width >= MIN_BAR_WIDTH ? [`${bar(width)} ${text}`] : []),
      [files, bytes, when, failed].join(' '),
      [files, when, failed].join(' '),
    ],
    columns,
  )
}

/** Host lines shown under the bar; the rest are summed up in one line. */
const SHOWN_HOSTS = 8

/**
 * One line per host under the bar: files and bytes so far, failures. Hosts with failures come
 * first (a failed host never hides in "... and N more"), then the others in inventory order.
 */
export function hostProgressLines(progress: DataProgress, columns = 80): string[] {
  const ordered = [
    ...progress.hosts.filter((host) => host.failed > 0),
    ...progress.hosts.filter((host) => host.failed === 0),
  ]
  const lines = ordered.slice(0, SHOWN_HOSTS).map((host) => hostLine(host, columns))
  const rest = ordered.slice(SHOWN_HOSTS)
  if (rest.length > 0) {
    const failing = rest.filter((host) => host.failed > 0).length
    lines.push(
      fitLine([`  ... and ${rest.length} more hosts${failing > 0 ? ` (${failing} with failures)` : ''}`], columns),
    )
  }

  return lines
}

/** A host's line, with its bytes when there is room for them. */
function hostLine(host: HostProgress, columns: number): string {
  const files = `  ${host.host}  ${host.filesDone}/${host.filesTotal} files`
  const bytes = `  ${formatBytes(host.bytesSent)}/${formatBytes(host.bytesTotal)}`
  const failed =
    host.failure === undefined
      ? host.failed > 0
        ? `  ${host.failed} failed`
        : ''
      : `  ${host.failed} failed: ${failureWords(host.failure.kind)}`
  return fitLine([`${files}${bytes}${failed}`, `${files}${failed}`], columns)
}

/**
 * The first of the renderings (richest first) that fits a terminal of `columns` columns, one
 * column left free so that nothing wraps; else the last one, cut.
 */
function fitLine(renderings: string[], columns: number): string {
  const room = Math.max(columns - 1, 1)
  const fitting = renderings.find((line) => line.length <= room)
  if (fitting !== undefined) return fitting
  const last = renderings.at(-1) ?? ''
  return `${last.slice(0, room - 1)}…`
}

/** What the reporter draws on: a terminal (with its width and resize events) or not. */
export interface ProgressStream {
  isTTY?: boolean
  columns?: number
  write(text: string): unknown
  on(event: 'resize', listener: () => void): unknown
  removeListener(event: 'resize', listener: () => void): unknown
}

/**
 * Draws progress on stderr: on a terminal, a bar and a line per host redrawn in place (at most
 * 10 times a second, and at once when the terminal is resized), each line cut to the terminal's
 * width so that nothing wraps and no stale copy stays behind; otherwise the original's line
 * every `intervalMs`. `stop()` draws the last state once: give it the finished progress so that
 * the last frame is true.
 */
export class ProgressReporter {
  private latest: DataProgress | undefined
  private lastDraw = 0
  private stopped = false
  /** Lines drawn last time, to move back over on a terminal. */
  private drawn = 0
  private readonly started = Date.now()
  private readonly timer: NodeJS.Timeout | undefined
  private readonly onResize = (): void => {
    if (this.latest !== undefined && !this.stopped) this.draw(this.latest)
  }

  constructor(
    private readonly stream: ProgressStream,
    intervalMs = 3000,
  ) {
    if (stream.isTTY) {
      stream.on('resize', this.onResize)
    } else {
      this.timer = setInterval(() => this.latest && stream.write(`${progressLine(this.latest)}\n`), intervalMs)
      this.timer.unref()
    }
  }

  update(progress: DataProgress): void {
    if (this.stopped) return
    this.latest = progress
    const now = Date.now()
    if (!this.stream.isTTY || (now - this.lastDraw < 100 && !progress.finished)) return
    this.lastDraw = now
    this.draw(progress)
  }

  private draw(progress: DataProgress): void {
    const columns = this.stream.columns ?? 80
    const lines = [progressBar(progress, Date.now() - this.started, columns), ...hostProgressLines(progress, columns)]
    // Up to the first line drawn before, clear from there to the end of the screen, then draw.
    const up = this.drawn > 1 ? `\u001B[${this.drawn - 1}A` : ''
    this.stream.write(`${up}\r\u001B[J${lines.join('\n')}`)
    this.drawn = lines.length
  }

  /** Draws the last state (once) and lets go of the terminal. */
  stop(): void {
    clearInterval(this.timer)
    this.stream.removeListener('resize', this.onResize)
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
