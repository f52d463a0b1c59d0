import {DEFAULT_REMOTE_ROOT} from '../core/remote/remote-path.js'
import {checkStatus, type StatusReport} from '../core/status/check-status.js'
import {type FleetOptions, withFleet} from './fleet-options.js'

export interface StatusOptions extends FleetOptions {
  /** Ping each host twice first (`--no-icmp`: false); default true. */
  icmp?: boolean | undefined
  /** Also ask each host for its home folder's identity, to name hosts that share one (`-v`). */
  homes?: boolean | undefined
  /** Also read each host's cpus, load, memory, disk and what director's tasks reserved (`--resources`). */
  resources?: boolean | undefined
  /** Where the resources file and the tasks are on the hosts (`--remote-root`); default `~/director`. */
  remoteRoot?: string | undefined
}

/** `director status`: two ICMP pings and an SSH login per host, every host at once (with `resources`, one exec more). */
export async function status(options: StatusOptions): Promise<StatusReport> {
  const resources = options.resources ? {remoteRoot: options.remoteRoot ?? DEFAULT_REMOTE_ROOT} : undefined
  return withFleet(options, async ({hosts, connect, fanOut}) =>
    checkStatus(hosts, {connect, fanOut, icmp: options.icmp ?? true, homes: options.homes ?? false, resources}),
  )
}
