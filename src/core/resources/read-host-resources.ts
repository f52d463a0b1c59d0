import type {FanOutOptions} from '../fanout/run-on-hosts.js'
import type {HostResult} from '../host-result.js'
import type {Host} from '../inventory/host.js'
import type {ConnectOptions} from '../ssh/connect.js'
import type {SshSession} from '../ssh/session.js'

import {runOverSsh} from '../fanout/run-over-ssh.js'
import {failure, HostFailure} from '../host-result.js'
import {posixShell} from '../remote/shell-quote.js'
import {type HostResources, resolveHostResources} from './host-resources.js'
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
