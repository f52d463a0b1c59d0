import {isSameProcess} from './process-info.js'
import {readState} from './state-file.js'

export interface ListedService {
  port: number
  host: string
  pid: number
  startedAt: string
  uptimeMs: number
  /** `alive`: the recorded process still runs; `stale`: it is gone (or its pid was reused). */
  status: 'alive' | 'stale'
  foreground: boolean
  logFile: string
}

export interface ListReport {
  stateFile: string
  /** The services of our state file, by port. */
  services: ListedService[]
}

/** The services we started (those on `ports` only, when given), from the state file, each checked against /proc. */
export function listLocal(options: {stateDir: string; ports?: number[] | undefined; now?: Date}): ListReport {
  const state = readState(options.stateDir)
  const now = (options.now ?? new Date()).getTime()
  const {ports} = options
  const services = state.services
    .filter((record) => ports === undefined || ports.includes(record.port))
    .map((record): ListedService => ({
      port: record.port,
      host: record.host,
      pid: record.pid,
      startedAt: record.startedAt,
      uptimeMs: Math.max(0, now - Date.parse(record.startedAt)),
      status: isSameProcess(record.pid, record.procStartTime) ? 'alive' : 'stale',
      foreground: record.foreground,
      logFile: record.logFile,
    }))
    .sort((a, b) => a.port - b.port)
  return {stateFile: state.path, services}
}
