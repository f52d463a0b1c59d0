import type {Host} from '../inventory/host.js'
import type {RunWhat} from '../remote/run-what.js'
import type {RerunState, RunReport} from './run-report.js'

/** What `--rerun` repeats: the earlier run's command on the hosts that ended in one state. */
export interface RerunPlan {
  /** The run id being repeated. */
  from: string
  what: RunWhat
  remoteRoot: string
  /** Inventory hosts (in inventory order) that ended in that state last time. */
  hosts: Host[]
  /** Hosts of that state no longer in the inventory (or outside --limit). */
  missing: string[]
}

/** Picks the hosts of the last run that ended in `state`, as the inventory has them now. */
export function planRerun(last: RunReport, state: RerunState, inventory: Host[]): RerunPlan {
  const wanted = new Set(last.hosts.filter((host) => host.state === state).map((host) => host.host))
  const hosts = inventory.filter((host) => wanted.has(host.name))
  const found = new Set(hosts.map((host) => host.name))
  return {
    from: last.runId,
    what: last.what,
    remoteRoot: last.remoteRoot,
    hosts,
    missing: [...wanted].filter((name) => !found.has(name)),
  }
}
