import type {Failure} from '../host-result.js'

import {pingService} from './send-line.js'
import {readState} from './state-file.js'

export type PingResult =
  | {port: number; ok: false; host: string; failure: Failure; ms: number}
  | {port: number; ok: true; host: string; reply: string; ms: number}

export interface PingReport {
  /** One result per port, in port.conf order. */
  results: PingResult[]
}

export interface PingLocalOptions {
  ports: number[]
  stateDir: string
  timeoutMs: number
  signal?: AbortSignal
}

/**
 * Pings every port at once: the host recorded in the state file when we started a service
 * there, 127.0.0.1 otherwise. A port that does not answer `Echo sent from ...` is OFF.
 */
export async function pingLocal(options: PingLocalOptions): Promise<PingReport> {
  const hosts = new Map(readState(options.stateDir).services.map((s) => [s.port, s.host]))
  const results = await Promise.all(
    options.ports.map(async (port): Promise<PingResult> => {
      const host = hosts.get(port) ?? '127.0.0.1'
      const answer = await pingService(host, port, options.timeoutMs, options.signal)
      return answer.ok
        ? {port, ok: true, host, reply: answer.reply, ms: answer.ms}
        : {port, ok: false, host, failure: answer.failure, ms: answer.ms}
    }),
  )
  return {results}
}
