import type {Readable} from 'node:stream'

import {createWriteStream} from 'node:fs'
import {pipeline} from 'node:stream/promises'

import type {SshSession} from '../ssh/session.js'

import {posixShell} from '../remote/shell-quote.js'
import {OutputTally} from './output-tally.js'
import {TrailerCutter} from './status-trailer.js'
import {untilAborted, watchSignal} from './watch-signal.js'

export type OutputStream = 'stderr' | 'stdout'

/** How a streamed command ended, and how much it printed. */
export interface StreamedExit {
  code: null | number
  signal: null | string
  /** False when the channel closed without an exit status (connection lost, or we gave up). */
  exited: boolean
  stdoutBytes: number
  stderrBytes: number
  stdoutSha256: string
  stderrSha256: string
  /** The first HEAD_BYTES of each stream, as text. */
  stdoutHead: string
  stderrHead: string
  /** Whether output/ holds files, from the run script's trailer; undefined when it did not come. */
  hasFiles: boolean | undefined
}

export interface StreamExecOptions {
  stdoutFile: string
  stderrFile: string
  signal: AbortSignal
  onOutput?: ((stream: OutputStream, chunk: Buffer) => void) | undefined
  /** When given, the script gets one line on stdin once this resolves (its go-ahead). */
  ready?: Promise<unknown> | undefined
  /** Called once when the signal fires while the command runs: must end the remote command. */
  stop: () => Promise<void>
  /** How long to wait for the channel to close after `stop`, before closing it ourselves. */
  graceMs?: number
}

/**
 * Runs a shell script on the host and streams its stdout and stderr into two files as they
 * arrive: backpressure reaches the remote process, so memory stays bounded whatever it prints.
 * When the signal fires, `stop` kills the remote command and the output so far is kept.
 */
export async function streamExec(
  session: SshSession,
  script: string,
  options: StreamExecOptions,
): Promise<StreamedExit> {
  return session.command(posixShell(script), options.signal, async (remote) => {
    // Recorded from the moment the channel opened: `true` can exit before this line runs.
    const ended = remote.exit
    const stopWatch = watchSignal(remote, options)
    const stdout = new OutputTally()
    const stderr = new OutputTally()
    const trailer = new TrailerCutter()
    let hasFiles: boolean | undefined
    let readyError: unknown
    try {
      const see = (stream: OutputStream, chunk: Buffer): void => {
        if (chunk.length > 0) options.onOutput?.(stream, chunk)
      }

      // Cut short before the go-ahead: stdin closes unread and the script exits at once.
      const going = untilAborted(options.ready, options.signal).then(
        () => remote.stdin.end(options.ready ? '\n' : undefined),
        (error: unknown) => {
          readyError = error
          remote.stdin.end()
        },
      )
      await Promise.all([
        drain(remote.stdout, options.stdoutFile, function* (chunk) {
          stdout.add(chunk)
          see('stdout', chunk)
          yield chunk
        }),
        drain(
          remote.stderr,
          options.stderrFile,
          function* (chunk) {
            const passed = trailer.push(chunk)
            stderr.add(passed)
            see('stderr', passed)
            yield passed
          },
          function* () {
            const {hasFiles: flag, rest} = trailer.end()
            hasFiles = flag
            stderr.add(rest)
            see('stderr', rest)
            yield rest
          },
        ),
        ended,
        going,
      ])
    } finally {
      stopWatch()
    }

    if (readyError !== undefined) throw readyError
    const exit = await ended
    const out = stdout.finish()
    const err = stderr.finish()
    return {
      code: exit?.code ?? null,
      signal: exit?.signal ?? null,
      exited: exit !== undefined,
      stdoutBytes: stdout.bytes,
      stderrBytes: stderr.bytes,
      stdoutSha256: out.sha256,
      stderrSha256: err.sha256,
      stdoutHead: out.head,
      stderrHead: err.head,
      hasFiles,
    }
  })
}

/** Source to file through `each` (and `last` at the end); a source cut short leaves what came. */
async function drain(
  source: Readable,
  file: string,
  each: (chunk: Buffer) => Iterable<Buffer>,
  last?: () => Iterable<Buffer>,
): Promise<void> {
  await pipeline(
    source,
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) yield* each(chunk)
      if (last) yield* last()
    },
    createWriteStream(file),
  ).catch(() => {})
}
