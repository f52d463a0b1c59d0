import type {ChalkInstance} from 'chalk'

import type {RunEvents} from '../../core/run/run-on-fleet.js'
import type {HostRun} from '../../core/run/run-report.js'

import {LineSplitter} from '../../core/line-splitter.js'
import {formatProgressLine, formatUnfinished, RunTracker} from './run-progress.js'

export type LiveMode = 'progress' | 'quiet' | 'stream'

export interface LiveViewOptions {
  mode: LiveMode
  color: ChalkInstance
  stdout: NodeJS.WriteStream
  stderr: NodeJS.WriteStream
}

export interface LiveView {
  events: RunEvents
  /** Clears the progress line and prints what is left of unfinished lines. */
  close(): void
}

/**
 * What the user sees while hosts run. `stream`: every line as it arrives, `host: line` on stdout
 * and `host!: line` on stderr. `progress`: one line on stderr, redrawn at most every 100 ms, only
 * on a terminal: the counts and the hosts still running (run-progress.ts), never a line per host.
 * Both end with the hosts that never finished, if any (Ctrl-C). `quiet`: nothing (pipes, --json,
 * --gather).
 */
export function makeLiveView(options: LiveViewOptions): LiveView {
  if (options.mode === 'stream') return streamView(options)
  if (options.mode === 'progress' && options.stderr.isTTY) return progressView(options)
  return {events: {}, close() {}}
}

function streamView({color, stderr, stdout}: LiveViewOptions): LiveView {
  const tracker = new RunTracker()
  // One splitter per host and stream; a line with no end is shown in 64 KiB pieces.
  const splitters = new Map<string, LineSplitter>()
  const splitter = (key: string): LineSplitter => {
    let found = splitters.get(key)
    if (found === undefined) splitters.set(key, (found = new LineSplitter(64 * 1024, 'split')))
    return found
  }

  const print = (host: string, stream: 'stderr' | 'stdout', text: string[]): void => {
    if (text.length === 0) return
    const out = text.map((line) => (stream === 'stdout' ? `${host}: ${line}` : color.red(`${host}!: ${line}`)))
    ;(stream === 'stdout' ? stdout : stderr).write(out.join('\n') + '\n')
  }

  return {
    events: {
      ...tracker.events,
      onOutput: (host, stream, chunk) => print(host, stream, splitter(`${stream}\0${host}`).push(chunk).lines),
      onHostDone(run: HostRun) {
        for (const stream of ['stdout', 'stderr'] as const) {
          print(run.host, stream, splitter(`${stream}\0${run.host}`).flush())
          splitters.delete(`${stream}\0${run.host}`)
        }

        tracker.events.onHostDone?.(run)
      },
    },
    close() {
      const unfinished = formatUnfinished(tracker.unfinished(), color)
      if (unfinished !== undefined) stderr.write(`${unfinished}\n`)
    },
  }
}

function progressView({color, stderr}: LiveViewOptions): LiveView {
  let drawn = 0
  const tracker = new RunTracker((final) => draw(final))
  const draw = (force: boolean): void => {
    const now = performance.now()
    if (!force && now - drawn < 100) return
    drawn = now
    // One column short of the width: a full last column wraps on some terminals.
    const width = Math.max(20, (stderr.columns || 80) - 1)
    stderr.write(`\r\u001B[K${formatProgressLine(tracker.progress(), width, color)}`)
  }

  return {
    events: tracker.events,
    close() {
      if (drawn > 0) stderr.write('\r\u001B[K')
      const unfinished = formatUnfinished(tracker.unfinished(), color)
      if (unfinished !== undefined) stderr.write(`${unfinished}\n`)
    },
  }
}
