import type {Duplex} from 'node:stream'

import pLimit, {type LimitFunction} from 'p-limit'

import type {Host} from '../inventory/host.js'
import type {SshSession} from './session.js'

import {failure, HostFailure} from '../host-result.js'
import {classifyForwardError, targetOf} from './classify-ssh-error.js'
import {hostToken} from './known-hosts.js'

/** Logs in to a bastion as to any host (its key checked against known_hosts like any other). */
export type BastionLogin = (bastion: Host, signal: AbortSignal | undefined) => Promise<SshSession>

/**
 * The bastions of one command: each is logged in to once, when the first host behind it
 * connects, and carries the connections of every host behind it; close() ends them all.
 */
export class JumpHosts {
  private readonly bastions = new Map<string, Bastion>()

  /**
   * `concurrency`: logins in flight through one bastion at once (`--jump-concurrency`);
   * `signal` ends a bastion login in progress (Ctrl-C).
   */
  constructor(
    private readonly concurrency: number,
    private readonly signal?: AbortSignal | undefined,
  ) {}

  /** The bastion `jump` names (the same user, address and port share one login). */
  bastion(jump: Host, login: BastionLogin): Bastion {
    const key = `${jump.user}@${hostToken(jump.address, jump.port)}`
    let bastion = this.bastions.get(key)
    if (bastion === undefined) {
      bastion = new Bastion(jump, async () => login(jump, this.signal), this.concurrency)
      this.bastions.set(key, bastion)
    }

    return bastion
  }

  /** Ends every bastion's connection (after the hosts behind them are done). */
  close(): void {
    for (const bastion of this.bastions.values()) bastion.close()
    this.bastions.clear()
  }
}

/** How long a failed bastion login stands for every host behind it before one of them tries again. */
const RELOGIN_AFTER_MS = 5000

/**
 * One bastion's login, shared. A login that failed (down, refused, auth, changed host key) is
 * the failure of every host behind it, named `bastion <name>: ...`, for RELOGIN_AFTER_MS after it
 * failed: a one-shot command tries a dead bastion once, a long one (keep) again next cycle. A
 * login lost after it worked (the bastion restarted) is made again by the next host.
 */
export class Bastion {
  private readonly slots: LimitFunction
  private session: Promise<SshSession>
  private opened: SshSession | undefined
  private failedAt: number | undefined

  constructor(
    readonly host: Host,
    private readonly login: () => Promise<SshSession>,
    concurrency: number,
  ) {
    this.slots = pLimit(concurrency)
    this.session = this.logIn()
  }

  /** Runs one target's connect and login holding one of the bastion's slots (the rest queue). */
  async slot<T>(connect: () => Promise<T>): Promise<T> {
    return this.slots(connect)
  }

  /** A connection from the bastion to `host`; a HostFailure naming the bastion when there is none. */
  async forward(host: Host): Promise<Duplex> {
    const stale = this.failedAt !== undefined && Date.now() - this.failedAt >= RELOGIN_AFTER_MS
    if (this.opened?.closed || stale) this.session = this.logIn()
    const session = await this.session.catch((error: unknown) => {
      throw this.named(error)
    })
    try {
      return await session.forward(host.address, host.port)
    } catch (error) {
      if (error instanceof HostFailure) throw this.named(error)
      throw new HostFailure(classifyForwardError(error as Error, this.host.name, targetOf(host)))
    }
  }

  close(): void {
    this.session.then(
      (session) => session.close(),
      () => undefined,
    )
  }

  private logIn(): Promise<SshSession> {
    this.opened = undefined
    this.failedAt = undefined
    const session = this.login()
    // A failure is each target's to report, when it asks for its channel.
    session.then(
      (opened) => {
        this.opened = opened
      },
      () => {
        this.failedAt = Date.now()
      },
    )
    return session
  }

  private named(error: unknown): unknown {
    if (!(error instanceof HostFailure)) return error
    return new HostFailure(failure(error.failure.kind, `bastion ${this.host.name}: ${error.failure.message}`))
  }
}
