import type {ChalkInstance} from 'chalk'

import type {RunEvents} from '../../core/run/run-on-fleet.js'
import type {HostRun} from '../../core/run/run-report.js'

import {LineSplitter} from '../../core/line-splitter.js'

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
 * and `host!: line` on stderr. `progress`: one line on stderr, redrawn at most every 100 ms,
 * only on a terminal. `quiet`: nothing (pipes, --json, --gather).
 */
export function makeLiveView(options: LiveViewOptions): LiveView {
  if (options.mode === 'stream') return streamView(options)
  if (options.mode === 'progress' && options.stderr.isTTY) return progressView(options)
  return {events: {}, close() {}}
}

function streamView({color, stderr, stdout}: LiveViewOptions): LiveView {
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
      onOutput: (host, stream, chunk) => print(host, stream, splitter(`${stream}\0${host}`).push(chunk).lines),
      onHostDone(run: HostRun) {
        for (const stream of ['stdout', 'stderr'] as const) {
          print(run.host, stream, splitter(`${stream}\0${run.host}`).flush())
          splitters.delete(`${stream}\0${run.host}`)
        }
      },
    },
    close() {},
  }
}

function progressView({color, stderr}: LiveViewOptions): LiveView {
  let total = 0
  let running = 0
  let done = 0
  let failed = 0
  let drawn = 0
  const draw = (force: boolean): void => {
    const now = performance.now()
    if (!force && now - drawn < 100) return
    drawn = now
    const failedText = failed === 0 ? '0 failed' : color.red(`${failed} failed`)
    stderr.write(`\r\u001B[K${done}/${total} done, ${running} running, ${failedText}`)
  }

  return {
    events: {
      onRunStart(hosts) {
        total = hosts.length
      },
      onHostStart() {
        running++
        draw(false)
      },
      onHostDone(run: HostRun) {
        running--
        done++
        if (run.state !== 'ok') failed++
        draw(done === total)
      },
    },
    close() {
      if (drawn > 0) stderr.write('\r\u001B[K')
    },
  }
}
