import {createWriteStream, mkdirSync, type WriteStream} from 'node:fs'

import type {StartReport, StartResult} from './types.js'

import {type EchoServer, isFailure, startEchoServer} from './echo-server.js'
import {readProcStat} from './process-info.js'
import {logFileFor, type ServiceRecord, updateState} from './state-file.js'

export interface ServeForegroundOptions {
  ports: number[]
  host: string
  stateDir: string
  foreground: {signal: AbortSignal; onStarted: (report: StartReport) => void}
  report: (started: Map<number, StartResult>) => StartReport
}

/**
 * Runs the echo services inside this process, recorded in the state file under this pid
 * (so that `list` and `shutdown_local` see them), until the signal fires or every service
 * got `shutdown`; then closes them all and removes their records.
 */
export async function serveForeground(options: ServeForegroundOptions): Promise<StartReport> {
  mkdirSync(options.stateDir, {recursive: true})
  const started = new Map<number, StartResult>()
  const servers: EchoServer[] = []
  const logs: WriteStream[] = []
  const procStartTime = readProcStat(process.pid)?.startTime ?? 'unknown'
  const records: ServiceRecord[] = []
  await Promise.all(
    options.ports.map(async (port) => {
      const logFile = logFileFor(options.stateDir, port)
      const stream = createWriteStream(logFile, {flags: 'a', mode: 0o600})
      logs.push(stream)
      const log = (line: string): void => {
        stream.write(`${new Date().toISOString()} ${options.host}:${port} ${line}\n`)
      }

      const server = await startEchoServer({host: options.host, port, log})
      if (isFailure(server)) {
        log(`not started: ${server.message}`)
        started.set(port, {port, ok: false, host: options.host, failure: server})
        return
      }

      servers.push(server)
      const {pid} = process
      records.push({
        port,
        host: options.host,
        pid,
        startedAt: new Date().toISOString(),
        procStartTime,
        foreground: true,
        logFile,
      })
      started.set(port, {port, ok: true, host: options.host, pid, status: 'started', logFile})
    }),
  )
  const mine = (record: ServiceRecord): boolean =>
    record.pid === process.pid && records.some((r) => r.port === record.port)
  try {
    if (records.length > 0)
      updateState(options.stateDir, (services) => [...services.filter((s) => !mine(s)), ...records])
    const report = options.report(started)
    options.foreground.onStarted(report)
    const {signal} = options.foreground
    const aborted = new Promise<void>((resolve) => {
      if (signal.aborted) resolve()
      signal.addEventListener('abort', () => resolve(), {once: true})
    })
    await Promise.race([aborted, Promise.all(servers.map(async (server) => server.closed))])
    return report
  } finally {
    await Promise.all(servers.map(async (server) => server.close()))
    if (records.length > 0) updateState(options.stateDir, (services) => services.filter((s) => !mine(s)))
    await Promise.all(
      logs.map(
        async (stream) =>
          new Promise((resolve) => {
            stream.end(resolve)
          }),
      ),
    )
  }
}
