import type {Host} from './host.js'
import type {InventoryGroup} from './parse-inventory.js'

/** `director hosts --groups`: each group with its selected hosts, and the selected hosts in no group. */
export interface HostGroups {
  /** Every group of the inventory in file order, with those of its hosts that were selected (in inventory order). */
  groups: Array<{name: string; hosts: string[]}>
  /** Selected hosts that are in no group. */
  ungrouped: string[]
}

/** Sorts the selected hosts into the inventory's groups (a host may be in several). */
export function groupHosts(groups: readonly InventoryGroup[], hosts: ReadonlyArray<Pick<Host, 'name'>>): HostGroups {
  const names = hosts.map((host) => host.name)
  const grouped = new Set(groups.flatMap((group) => group.hosts))
  return {
    groups: groups.map((group) => {
      const members = new Set(group.hosts)
      return {name: group.name, hosts: names.filter((name) => members.has(name))}
    }),
    ungrouped: names.filter((name) => !grouped.has(name)),
  }
}
