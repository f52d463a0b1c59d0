import type {HostResult} from '../host-result.js'
import type {Host} from '../inventory/host.js'
import type {SshSession} from '../ssh/session.js'

import {type ConnectOptions, openSession} from '../ssh/connect.js'
import {type FanOutOptions, runOnHosts} from './run-on-hosts.js'

/** A step that works on one logged-in host. */
export type SessionStep<T> = (session: SshSession, signal: AbortSignal) => Promise<T>

/**
 * Logs in to every host (one connection each), runs the step on it, and always closes the
 * connection, also on failure, timeout and Ctrl-C. Results come back in inventory order.
 */
export async function runOverSsh<T>(
  hosts: Host[],
  connect: ConnectOptions,
  fanOut: FanOutOptions,
  step: SessionStep<T>,
): Promise<Array<HostResult<T>>> {
  return runOnHosts(hosts, fanOut, async (host, signal) => {
    const session = await openSession(host, connect, signal)
    try {
      return await step(session, signal)
    } finally {
      session.close()
    }
  })
}
