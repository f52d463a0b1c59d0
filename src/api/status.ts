import {checkStatus, type StatusReport} from '../core/status/check-status.js'
import {type FleetOptions, withFleet} from './fleet-options.js'

export interface StatusOptions extends FleetOptions {
  /** Ping each host twice first (`--no-icmp`: false); default true. */
  icmp?: boolean | undefined
  /** Also ask each host for its home folder's identity, to name hosts that share one (`-v`). */
  homes?: boolean | undefined
}

/** `director status`: two ICMP pings and an SSH login per host, every host at once. */
export async function status(options: StatusOptions): Promise<StatusReport> {
  return withFleet(options, async ({hosts, connect, fanOut}) =>
    checkStatus(hosts, {connect, fanOut, icmp: options.icmp ?? true, homes: options.homes ?? false}),
  )
}
