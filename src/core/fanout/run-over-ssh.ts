import type {HostResult} from '../host-result.js'
import type {Host} from '../inventory/host.js'
import type {SshSession} from '../ssh/session.js'
import type {SessionOpener} from './early-sessions.js'

import {type ConnectOptions, openSession} from '../ssh/connect.js'
import {type FanOutOptions, runOnHosts} from './run-on-hosts.js'

/** How long a step may go on cleaning up after its signal fired before its connection is cut. */
export const ABORT_GRACE_MS = 5000

export interface SshFanOutOptions<T = unknown> extends FanOutOptions {
  /** Opens each host's session; by default a new login. */
  open?: SessionOpener | undefined
  /** Hears each host's result as soon as it is known (a login that failed, at once). */
  onResult?: ((result: HostResult<T>) => void) | undefined
}

/** A step that works on one logged-in host. */
export type SessionStep<T> = (session: SshSession, signal: AbortSignal) => Promise<T>

/**
 * Logs in to every host (one connection each), runs the step on it, and always closes the
 * connection, also on failure, timeout and Ctrl-C. Results come back in inventory order.
 */
export async function runOverSsh<T>(
  hosts: Host[],
  connect: ConnectOptions,
  fanOut: SshFanOutOptions<T>,
  step: SessionStep<T>,
): Promise<Array<HostResult<T>>> {
  const open = fanOut.open ?? (async (host, signal) => openSession(host, connect, signal))
  return runOnHosts(
    hosts,
    fanOut,
    async (host, signal) => {
      const session = await open(host, signal)
      // After Ctrl-C or the deadline, a host that no longer answers would keep its step waiting
      // until keepalives give up (~45 s): past a short grace, the connection is cut.
      let timer: NodeJS.Timeout | undefined
      const cut = (): void => {
        timer = setTimeout(() => session.destroy(), ABORT_GRACE_MS)
      }

      signal.addEventListener('abort', cut, {once: true})
      try {
        return await step(session, signal)
      } finally {
        signal.removeEventListener('abort', cut)
        clearTimeout(timer)
        session.close()
      }
    },
    fanOut.onResult,
  )
}
