import type {Host} from '../../core/inventory/host.js'

import {formatTable} from './table.js'

/** `director hosts`: one row per target with where each value came from. */
export function renderHosts(hosts: Host[]): string[] {
  const rows = hosts.map((host) => [
    host.name,
    `${host.address} (${host.origin.address})`,
    `${host.port} (${host.origin.port})`,
    `${host.user} (${host.origin.user})`,
  ])
  return formatTable([['HOST', 'ADDRESS', 'PORT', 'USER'], ...rows])
}
