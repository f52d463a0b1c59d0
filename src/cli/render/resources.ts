import type {HostResources, ResourceOrigin} from '../../core/resources/host-resources.js'
import type {StatusReport} from '../../core/status/check-status.js'

import {describeResources} from '../../core/resources/resource-words.js'
import {formatTable} from './table.js'
import {countOf, formatBytes} from './units.js'

/** A capacity with where it came from unless the host reported it: `4 (inventory)`, `7.6 GiB`, `n/a`. */
function capacity(text: string | null, from: ResourceOrigin | null): string {
  if (text === null) return 'n/a'
  return from === 'host' || from === null ? text : `${text} (${from})`
}

function bytes(value: null | number): string {
  return value === null ? 'n/a' : formatBytes(value)
}

function reservedText(resources: HostResources): string {
  const {cpus, mem, tasks} = resources.reserved
  if (tasks === 0) return '-'
  const asked = describeResources({...(cpus > 0 ? {cpus} : {}), ...(mem > 0 ? {mem} : {})})
  return `${asked} (${countOf(tasks, 'task')})`
}

/**
 * `status --resources`: per host its cpus (capacity, with its origin when declared), 1-minute
 * load, memory capacity and MemAvailable, disk free under the remote root, and what director's
 * live tasks reserved; `n/a` for what a host cannot say; then the hosts whose probe failed or
 * whose resources file was ignored.
 */
export function renderResources(report: StatusReport): string[] {
  const notes: string[] = []
  const rows = report.hosts.map((status) => {
    const check = status.ssh.ok ? status.ssh.resources : undefined
    if (check === undefined || !check.ok) {
      if (check !== undefined) notes.push(check.message)
      return [status.host, '-', '-', '-', '-', '-', '-']
    }

    const r = check.value
    if (r.problem !== null) notes.push(`${status.host}: resources file ignored: ${r.problem}`)
    return [
      r.host,
      capacity(r.cpus === null ? null : String(r.cpus), r.cpusFrom),
      r.load === null ? 'n/a' : r.load.toFixed(2),
      capacity(r.mem === null ? null : formatBytes(r.mem), r.memFrom),
      bytes(r.memAvailable),
      bytes(r.diskFree),
      reservedText(r),
    ]
  })
  const header = ['HOST', 'CPUS', 'LOAD', 'MEM', 'AVAILABLE', 'DISK FREE', 'RESERVED']
  return [...formatTable([header, ...rows]), ...notes]
}
