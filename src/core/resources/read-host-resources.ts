import type {FanOutOptions} from '../fanout/run-on-hosts.js'
import type {HostResult} from '../host-result.js'
import type {Host} from '../inventory/host.js'
import type {ConnectOptions} from '../ssh/connect.js'
import type {SshSession} from '../ssh/session.js'

import {runOverSsh} from '../fanout/run-over-ssh.js'
import {failure, HostFailure} from '../host-result.js'
import {posixShell} from '../remote/shell-quote.js'
import {type HostOffer, type HostResources, offerOf, resolveHostResources} from './host-resources.js'
import {parseResourceProbe, resourceProbeScript} from './resource-probe.js'

/** A host's cpus, load, memory, disk and reservations, with ONE exec; capacity as the inventory, file or host says. */
export async function readHostResources(
  session: SshSession,
  remoteRoot: string,
  signal?: AbortSignal,
): Promise<HostResources> {
  const result = await session.exec(posixShell(resourceProbeScript(remoteRoot, session.host.name)), {signal})
  if (result.code !== 0) {
    const detail = result.stderr.trim() || `exit ${result.code ?? result.signal}`
    throw new HostFailure(failure('remote-error', `${session.host.name}: cannot read its resources: ${detail}`))
  }

  return resolveHostResources(session.host.name, session.host.resources, parseResourceProbe(result.stdout))
}

/** Every host's resources (one connection and one exec each), in inventory order. */
export async function probeResources(
  hosts: Host[],
  options: {connect: ConnectOptions; fanOut: FanOutOptions; remoteRoot: string},
): Promise<Array<HostResult<HostResources>>> {
  return runOverSsh(hosts, options.connect, options.fanOut, async (session, signal) =>
    readHostResources(session, options.remoteRoot, signal),
  )
}

/**
 * An offer round's first step: what each host that answered offers (capacity less its live
 * tasks' reservations; with `respectLoad`, cpus not below the load), and why the others did not.
 */
export async function probeOffers(
  hosts: Host[],
  options: {connect: ConnectOptions; fanOut: FanOutOptions; remoteRoot: string; respectLoad: boolean},
): Promise<{offers: HostOffer[]; unreachable: Array<{host: string; reason: string}>}> {
  const probed = await probeResources(hosts, options)
  return {
    offers: probed.flatMap((result) => (result.ok ? [offerOf(result.value, options.respectLoad)] : [])),
    unreachable: probed.flatMap((result) => (result.ok ? [] : [{host: result.host, reason: result.failure.message}])),
  }
}
