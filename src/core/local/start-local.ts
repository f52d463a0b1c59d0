import type {Failure} from '../host-result.js'
import type {StartLocalOptions, StartReport, StartResult} from './types.js'

import {failure} from '../host-result.js'
import {isSameProcess, readProcStat} from './process-info.js'
import {pingService} from './send-line.js'
import {serveForeground} from './serve-foreground.js'
import {spawnService} from './spawn-service.js'
import {logFileFor, readState, type ServiceRecord, updateState} from './state-file.js'

/**
 * Starts one echo service per port: detached (they outlive this process) and recorded in the
 * state file, or in the foreground. A port that already runs one of ours is reported as
 * `already-running` and not started twice; a port that cannot be used fails alone.
 */
export async function startLocal(options: StartLocalOptions): Promise<StartReport> {
  const state = readState(options.stateDir)
  const running = new Map<number, ServiceRecord>()
  for (const record of state.services) {
    if (isSameProcess(record.pid, record.procStartTime)) running.set(record.port, record)
  }

  const toStart = options.ports.filter((port) => !running.has(port))
  const report = (started: Map<number, StartResult>): StartReport => ({
    host: options.host,
    stateFile: state.path,
    foreground: options.foreground !== undefined,
    results: options.ports.map((port) => {
      const record = running.get(port)
      if (record !== undefined) {
        return {port, ok: true, host: record.host, pid: record.pid, status: 'already-running', logFile: record.logFile}
      }

      return started.get(port) ?? {port, ok: false, host: options.host, failure: failure('error', 'not started')}
    }),
  })

  if (options.foreground !== undefined) {
    return serveForeground({...options, ports: toStart, foreground: options.foreground, report})
  }

  const started = new Map<number, StartResult>()
  const records: ServiceRecord[] = []
  await Promise.all(
    toStart.map(async (port) => {
      const logFile = logFileFor(options.stateDir, port)
      const spawned = await spawnService(options.host, port, logFile, options.timeoutMs)
      if (!spawned.ok) {
        started.set(port, {port, ok: false, host: options.host, failure: spawned.failure})
        return
      }

      const stat = readProcStat(spawned.pid)
      records.push({
        port,
        host: options.host,
        pid: spawned.pid,
        startedAt: new Date().toISOString(),
        procStartTime: stat?.startTime ?? 'unknown',
        foreground: false,
        logFile,
      })
      started.set(port, {port, ok: true, host: options.host, pid: spawned.pid, status: 'started', logFile})
    }),
  )
  // Recorded before the first ping, so that shutdown_local can stop even a slow starter;
  // the stale records of the ports we tried are dropped.
  const ports = new Set(toStart)
  updateState(options.stateDir, (services) => [...services.filter((s) => !ports.has(s.port)), ...records])
  await Promise.all(
    records.map(async (record) => {
      const failure = await waitForPing(record.host, record.port, options.timeoutMs)
      if (failure !== undefined) started.set(record.port, {port: record.port, ok: false, host: record.host, failure})
    }),
  )
  return report(started)
}

/** Pings until the service answers, within `timeoutMs`; the last failure otherwise. */
async function waitForPing(host: string, port: number, timeoutMs: number): Promise<Failure | undefined> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const left = deadline - Date.now()
    const answer = await pingService(host, port, Math.max(100, left))
    if (answer.ok) return undefined
    if (Date.now() + 50 >= deadline) {
      return failure(answer.failure.kind, `started but did not answer a ping: ${answer.failure.message}`)
    }

    await new Promise((resolve) => {
      setTimeout(resolve, 50)
    })
  }
}
