import type {Failure} from '../host-result.js'
import type {Host} from '../inventory/host.js'
import type {HostResources} from '../resources/host-resources.js'
import type {Negotiated, SshSession} from '../ssh/session.js'
import type {PingOutcome} from './parse-ping-output.js'

import {type FanOutOptions, runOnHosts} from '../fanout/run-on-hosts.js'
import {HostFailure} from '../host-result.js'
import {readHostResources} from '../resources/read-host-resources.js'
import {type ConnectOptions, openSession} from '../ssh/connect.js'
import {findSharedHomes, HOME_IDENTITY_COMMAND, parseHomeIdentity} from './home-identity.js'
import {findPing, icmpPing} from './icmp-ping.js'

export type IcmpCheck = PingOutcome | {state: 'skipped'}

/** What `status --resources` read on a host that logged in (facts it could not read are null: n/a). */
export type ResourcesCheck = {ok: true; value: HostResources} | {ok: false; message: string}

export type SshCheck =
  | {
      ok: true
      loginMs: number
      negotiated: Negotiated
      /** With `homes`: the home folder's identity (see home-identity.ts), when the host told it. */
      home?: string | undefined
      /** With `resources`: its cpus, load, memory, disk and reservations, or why they could not be read. */
      resources?: ResourcesCheck | undefined
    }
  | {ok: false; failure: Failure}

export interface HostStatus {
  host: string
  address: string
  port: number
  /** ON: both pings came back (unless ICMP is skipped) and the SSH login worked. */
  on: boolean
  icmp: IcmpCheck
  ssh: SshCheck
  ms: number
}

export interface StatusReport {
  /** `on`: pinged; `off`: --no-icmp; `n/a`: no ping command on this machine. */
  icmp: 'n/a' | 'off' | 'on'
  hosts: HostStatus[]
  online: number
  total: number
  /** With `homes`: groups of hosts that seem to share one home folder (NFS); a hint, not a fact. */
  sharedHomes?: string[][]
}

export interface StatusOptions {
  connect: ConnectOptions
  fanOut: FanOutOptions
  /** Ping each host first (false: --no-icmp). Without a ping command, ICMP is `n/a`. */
  icmp: boolean
  /** Where to look for `ping`; default $PATH. */
  path?: string | undefined
  /** Also ask each host for its home folder's identity (one exec), to spot shared homes. */
  homes?: boolean
  /** Also read each host's resources (one exec), with its resources file and tasks under this remote root. */
  resources?: {remoteRoot: string} | undefined
}

/** Pings and logs in to every host at once; one HostStatus per host, in inventory order. */
export async function checkStatus(hosts: Host[], options: StatusOptions): Promise<StatusReport> {
  const ping = options.icmp ? findPing(options.path) : undefined
  const icmp = options.icmp ? (ping === undefined ? 'n/a' : 'on') : 'off'
  const results = await runOnHosts(hosts, options.fanOut, async (host, signal) => {
    // A host behind a bastion need not answer pings from here: its login alone judges it.
    const [icmp, ssh] = await Promise.all([
      ping === undefined || host.jump !== undefined
        ? ({state: 'skipped'} as const)
        : icmpPing(ping, host.address, signal),
      checkLogin(host, options.connect, signal, {homes: options.homes === true, resources: options.resources}),
    ])
    return {icmp, ssh}
  })
  const statuses = results.map((result, index): HostStatus => {
    const host = hosts[index] as Host
    const checks = result.ok
      ? result.value
      : {icmp: {state: 'skipped'} as const, ssh: {ok: false as const, failure: result.failure}}
    return {
      host: host.name,
      address: host.address,
      port: host.port,
      on: isOn(checks.icmp, checks.ssh),
      ...checks,
      ms: result.ms,
    }
  })
  const report: StatusReport = {
    icmp,
    hosts: statuses,
    online: statuses.filter((s) => s.on).length,
    total: statuses.length,
  }
  if (options.homes) {
    report.sharedHomes = findSharedHomes(
      statuses.map((status) => ({host: status.host, home: status.ssh.ok ? status.ssh.home : undefined})),
    )
  }

  return report
}

async function checkLogin(
  host: Host,
  connect: ConnectOptions,
  signal: AbortSignal,
  extras: Pick<StatusOptions, 'homes' | 'resources'>,
): Promise<SshCheck> {
  try {
    const session = await openSession(host, connect, signal)
    const login = {ok: true, loginMs: Math.round(session.loginMs), negotiated: session.negotiated} as const
    try {
      // A hint only: a host that cannot say is still ON.
      const result = extras.homes
        ? await session.exec(HOME_IDENTITY_COMMAND, {signal}).catch(() => undefined)
        : undefined
      const home = extras.homes ? {home: result === undefined ? undefined : parseHomeIdentity(result.stdout)} : {}
      const resources = extras.resources
        ? {resources: await resourcesOf(session, extras.resources.remoteRoot, signal)}
        : {}
      return {...login, ...home, ...resources}
    } finally {
      session.close()
    }
  } catch (error) {
    if (error instanceof HostFailure) return {ok: false, failure: error.failure}
    throw error
  }
}

/** A host that logged in but cannot say is still ON: the probe's failure is part of its report. */
async function resourcesOf(session: SshSession, remoteRoot: string, signal: AbortSignal): Promise<ResourcesCheck> {
  try {
    return {ok: true, value: await readHostResources(session, remoteRoot, signal)}
  } catch (error) {
    return {ok: false, message: error instanceof Error ? error.message : String(error)}
  }
}

function isOn(icmp: IcmpCheck, ssh: SshCheck): boolean {
  const pinged = icmp.state === 'skipped' || (icmp.state === 'replied' && icmp.received >= 2)
  return pinged && ssh.ok
}
