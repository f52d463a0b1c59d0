import type {HostGroups} from '../../core/inventory/group-hosts.js'
import type {Host} from '../../core/inventory/host.js'

import {compactHostList} from '../../core/inventory/compact-host-list.js'
import {formatTable} from './table.js'

/** `director hosts`: one row per target with where each value came from; its bastion, when any host has one. */
export function renderHosts(hosts: Host[]): string[] {
  const jumps = hosts.some((host) => host.jump !== undefined)
  const rows = hosts.map((host) => [
    host.name,
    `${host.address} (${host.origin.address})`,
    `${host.port} (${host.origin.port})`,
    `${host.user} (${host.origin.user})`,
    ...(jumps ? [host.jump ? `${host.jump.user}@${host.jump.address}:${host.jump.port}` : '-'] : []),
  ])
  return formatTable([['HOST', 'ADDRESS', 'PORT', 'USER', ...(jumps ? ['JUMP'] : [])], ...rows])
}

/** `director hosts --groups`: one row per group (then the hosts in none), hosts written compactly. */
export function renderHostGroups({groups, ungrouped}: HostGroups): string[] {
  const row = (name: string, hosts: string[]): string[] => [
    name,
    String(hosts.length),
    hosts.length === 0 ? '-' : compactHostList(hosts),
  ]
  const rows = groups.map((group) => row(`@${group.name}`, group.hosts))
  if (ungrouped.length > 0) rows.push(row('(no group)', ungrouped))
  return formatTable([['GROUP', 'HOSTS', 'NAMES'], ...rows])
}
