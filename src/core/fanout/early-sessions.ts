import type {Host} from '../inventory/host.js'
import type {SshSession} from '../ssh/session.js'

import {type ConnectOptions, openSession} from '../ssh/connect.js'

/** Opens a host's session for runOverSsh. */
export type SessionOpener = (host: Host, signal: AbortSignal) => Promise<SshSession>

/**
 * Logins started before the work is known (while a command still scans and plans), so the hosts'
 * handshakes overlap that work instead of following it; later, on a busy main thread, the last
 * hosts' handshakes waited up to 1.8 s behind the first hosts' transfers. Each early session is
 * handed out once; the ones nobody took are closed.
 */
export class EarlySessions {
  private readonly pending = new Map<string, Promise<SshSession>>()

  constructor(
    hosts: Host[],
    private readonly connect: ConnectOptions,
    signal: AbortSignal | undefined,
  ) {
    for (const host of hosts) {
      // A signal of its own per host: one shared signal would hold a listener per login, and
      // past ten node warns of a leak (MaxListenersExceededWarning) on every big fleet.
      const session = openSession(host, connect, signal && AbortSignal.any([signal]))
      // A failure is reported to whoever takes the session; one nobody takes is not an error.
      session.catch(() => undefined)
      this.pending.set(host.name, session)
    }
  }

  /** The host's early session if there is one, else a new login. */
  readonly open: SessionOpener = async (host, signal) => {
    const early = this.pending.get(host.name)
    if (early === undefined) return openSession(host, this.connect, signal)
    this.pending.delete(host.name)
    return early
  }

  /** Closes the sessions nobody took (hosts without work), once their logins end. */
  closeUnused(): void {
    for (const session of this.pending.values()) {
      session.then(
        (opened) => opened.close(),
        () => undefined,
      )
    }

    this.pending.clear()
  }
}
