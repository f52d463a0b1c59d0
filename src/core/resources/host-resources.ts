import type {HostFacts} from './resource-probe.js'
import type {Resources} from './resource-words.js'

/** Where a host's capacity came from: the inventory line, `<remote-root>/resources`, or what the host reports. */
export type ResourceOrigin = 'file' | 'host' | 'inventory'

/** One host's resources as `status --resources` shows them and placement offers them. */
export interface HostResources {
  host: string
  /** Capacity: the inventory's value, else the resources file's, else what the host reports; null: n/a. */
  cpus: number | null
  cpusFrom: ResourceOrigin | null
  /** Memory capacity in bytes, the same way (reported: MemTotal). */
  mem: number | null
  memFrom: ResourceOrigin | null
  load: number | null
  memAvailable: number | null
  /** Bytes free under the remote root. */
  diskFree: number | null
  /** What director's live tasks on the host asked for. */
  reserved: HostFacts['reserved']
  /** A resources file that was there but could not be read as `cpus=N mem=SIZE`, else null. */
  problem: string | null
}

/** The capacity of a host, key by key: the inventory wins over the resources file, the file over the host. */
export function resolveHostResources(host: string, inventory: Resources | undefined, facts: HostFacts): HostResources {
  const pick = (key: keyof Resources, reported: number | null): [number | null, ResourceOrigin | null] => {
    const inventoried = inventory?.[key]
    if (inventoried !== undefined) return [inventoried, 'inventory']
    const declared = facts.declared[key]
    if (declared !== undefined) return [declared, 'file']
    return reported === null ? [null, null] : [reported, 'host']
  }

  const [cpus, cpusFrom] = pick('cpus', facts.cpus)
  const [mem, memFrom] = pick('mem', facts.memTotal)
  return {
    host,
    cpus,
    cpusFrom,
    mem,
    memFrom,
    load: facts.load,
    memAvailable: facts.memAvailable,
    diskFree: facts.diskFree,
    reserved: facts.reserved,
    problem: facts.declaredProblem,
  }
}

/** What a host offers new tasks: its capacity less what live tasks reserved; null: n/a. */
export interface HostOffer {
  host: string
  cpus: number | null
  mem: number | null
}

/** Rounds away the float noise of sums of fractions (0.1 + 0.2). */
export function tidy(value: number): number {
  return Math.max(0, Math.round(value * 1e6) / 1e6)
}

/**
 * A host's offer: capacity − reserved; with `respectLoad`, cpus in use are at least the load
 * (a host busy with work director did not start offers less).
 */
export function offerOf(resources: HostResources, respectLoad: boolean): HostOffer {
  const busy = Math.max(resources.reserved.cpus, respectLoad ? (resources.load ?? 0) : 0)
  return {
    host: resources.host,
    cpus: resources.cpus === null ? null : tidy(resources.cpus - busy),
    mem: resources.mem === null ? null : tidy(resources.mem - resources.reserved.mem),
  }
}
