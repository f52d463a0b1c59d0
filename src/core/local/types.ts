// What starting local services takes and reports: shared by start-local and serve-foreground.
import type {Failure} from '../host-result.js'

export type StartResult =
  | {port: number; ok: false; host: string; failure: Failure}
  | {port: number; ok: true; host: string; pid: number; status: 'already-running' | 'started'; logFile: string}

export interface StartReport {
  host: string
  stateFile: string
  foreground: boolean
  /** One result per port, in port.conf order. */
  results: StartResult[]
}

export interface StartLocalOptions {
  ports: number[]
  host: string
  stateDir: string
  /** Bound on starting each service and on waiting for its first ping reply. */
  timeoutMs: number
  /**
   * Serve in this process instead of detaching: `onStarted` gets the report once listening,
   * and the services stop when `signal` fires or every one got `shutdown`.
   */
  foreground?: {signal: AbortSignal; onStarted: (report: StartReport) => void}
}
