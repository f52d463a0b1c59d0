import {mkdir} from 'node:fs/promises'

import type {Host} from '../inventory/host.js'
import type {RunWhat} from '../remote/run-what.js'
import type {RunPlace} from './host-layout.js'

import {failure} from '../host-result.js'
import {posixShell} from '../remote/shell-quote.js'
import {uploadScript} from '../remote/upload-script.js'
import {type ConnectOptions, openSession} from '../ssh/connect.js'
import {type FetchedFiles, fetchFiles} from './fetch-files.js'
import {hostLayout} from './host-layout.js'
import {asFailure, cutShort, writeHostRecord} from './host-record.js'
import {hostFiles} from './local-layout.js'
import {fetchFilesScript, killScript, runScript} from './remote-scripts.js'
import {emptyHostRun, type HostRun} from './run-report.js'
import {type OutputStream, type StreamedExit, streamExec} from './stream-exec.js'

/** What the core tells the live view; it never writes to a terminal itself. */
export interface RunEvents {
  /** The hosts about to run (with --rerun, fewer than the inventory). */
  onRunStart?: (hosts: string[]) => void
  onHostStart?: (host: string) => void
  onOutput?: (host: string, stream: OutputStream, chunk: Buffer) => void
  onHostDone?: (run: HostRun) => void
}

/** Everything every host of one run shares. */
export interface HostRunPlan {
  what: RunWhat
  place: RunPlace
  /** Run folders of the project each host keeps (this one included). */
  keepRuns: number
  /** The local run folder. */
  runDir: string
  connect: ConnectOptions
  /** Ctrl-C alone (the step's own signal also fires on --timeout). */
  interrupt?: AbortSignal | undefined
  events: RunEvents
}

/** Longest wait for the files of a host that timed out; they are what is left to debug it. */
const FILES_AFTER_TIMEOUT_MS = 30_000

/**
 * One host's run: log in, upload the script, run it with its output streamed to local files,
 * kill its process tree if the signal fires, bring back its output/ files, write its record.
 * Every outcome is a HostRun value; the connection is always closed.
 */
export async function runOnHost(host: Host, plan: HostRunPlan, signal: AbortSignal): Promise<HostRun> {
  const startedAt = new Date()
  const started = performance.now()
  const since = (from: number): number => Math.round(performance.now() - from)
  const files = hostFiles(plan.runDir, host.name)
  const layout = hostLayout(plan.place, host.name)
  await mkdir(files.folder, {recursive: true})
  plan.events.onHostStart?.(host.name)
  const run: HostRun = emptyHostRun(host.name, files.folder, 'unreachable')
  try {
    const session = await openSession(host, plan.connect, signal)
    run.timings.connectMs = Math.round(session.loginMs)
    run.state = 'failed'
    try {
      // The upload runs on the SFTP channel while the exec channel starts; the script waits for it.
      const uploadStarted = performance.now()
      const uploaded =
        plan.what.kind === 'script'
          ? uploadScript(session, plan.what.script, layout.script ?? '').then(() => {
              run.timings.uploadMs = since(uploadStarted)
            })
          : undefined
      uploaded?.catch(() => {})
      const runStarted = performance.now()
      const exit = await streamExec(session, runScript(layout, plan.what, plan.keepRuns), {
        stdoutFile: files.stdout,
        stderrFile: files.stderr,
        signal,
        ready: uploaded,
        onOutput: plan.events.onOutput && ((stream, chunk) => plan.events.onOutput?.(host.name, stream, chunk)),
        async stop() {
          await session.exec(posixShell(killScript(layout)), {signal: AbortSignal.timeout(10_000)})
        },
      })
      run.timings.runMs = since(runStarted)
      record(run, exit)
      const ended = cutShort(signal)
      if (ended?.state !== 'interrupted' && exit.hasFiles !== false) {
        const filesStarted = performance.now()
        const filesSignal = ended ? AbortSignal.timeout(FILES_AFTER_TIMEOUT_MS) : signal
        const fetched = await fetchFiles(
          session,
          fetchFilesScript(layout),
          files.files,
          either(filesSignal, plan.interrupt),
        )
        run.timings.filesMs = since(filesStarted)
        count(run, fetched)
      }
    } finally {
      session.close()
    }
  } catch (error) {
    run.failure = asFailure(error)
    // The command may have exited 0 and its files still failed to come back.
    if (run.state === 'ok') run.state = 'failed'
  }

  const ended = cutShort(signal)
  if (ended) {
    run.state = ended.state
    run.failure = ended.failure
  }

  run.timings.totalMs = since(started)
  await writeHostRecord(files, run, startedAt)
  plan.events.onHostDone?.(run)
  return run
}

function record(run: HostRun, exit: StreamedExit): void {
  run.exitCode = exit.code
  run.signal = exit.signal
  run.stdoutBytes = exit.stdoutBytes
  run.stderrBytes = exit.stderrBytes
  run.stdoutSha256 = exit.stdoutSha256
  run.stderrSha256 = exit.stderrSha256
  run.stdoutHead = exit.stdoutHead
  run.stderrHead = exit.stderrHead
  if (exit.exited) run.state = exit.code === 0 ? 'ok' : 'failed'
  else run.failure = failure('connection-lost', `${run.host}: the command ended without an exit status`)
}

function count(run: HostRun, fetched: FetchedFiles): void {
  run.files = fetched.files
  run.filesBytes = fetched.bytes
}

function either(signal: AbortSignal, other: AbortSignal | undefined): AbortSignal {
  return other ? AbortSignal.any([signal, other]) : signal
}
