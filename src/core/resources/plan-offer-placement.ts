import type {HostOffer} from './host-resources.js'

import {tidy} from './host-resources.js'
import {describeResources, type Resources} from './resource-words.js'

/** How an offer round picks hosts: spread (most free first, the default) or pack (fill in order). */
export interface OfferPolicy {
  pack?: boolean | undefined
  /** Cpus in use are at least the host's 1-minute load. */
  respectLoad?: boolean | undefined
}

/** Where the tasks go, how many did not fit, and the largest free offer left for them. */
export interface OfferPlan {
  /** Host -> tasks, in the offers' order, hosts with none left out. */
  placement: Map<string, number>
  /** The offers of the hosts that got tasks, as they were before this round. */
  used: HostOffer[]
  unplaced: number
  /** The largest free offer left after placing (null: no host said what it has). */
  best: HostOffer | null
}

const EPSILON = 1e-9

function fits(offer: HostOffer, request: Resources): boolean {
  const enough = (free: number | null, asked: number | undefined): boolean =>
    asked === undefined || (free !== null && free + EPSILON >= asked)
  return enough(offer.cpus, request.cpus) && enough(offer.mem, request.mem)
}

/** Most free first: by what is asked for (cpus before memory), n/a last; ties keep the offers' order. */
function roomier(a: HostOffer, b: HostOffer, request: Resources): number {
  const keys: Array<keyof Resources> = request.cpus === undefined ? ['mem', 'cpus'] : ['cpus', 'mem']
  for (const key of keys) {
    const difference = (b[key] ?? -1) - (a[key] ?? -1)
    if (Math.abs(difference) > EPSILON) return difference
  }

  return 0
}

/**
 * An offer round: `count` tasks, each asking `request`, go one at a time to a host whose offer
 * still holds it, the roomiest first (spread), or the first in order (`pack`). Each placed task
 * takes its share off its host's offer. Hosts in `avoid` are used only when no other fits. A
 * host that cannot say what it has (n/a) takes no task that asks for it. Never overcommits:
 * what does not fit is counted in `unplaced`.
 */
export function planOfferPlacement(
  offers: HostOffer[],
  request: Resources,
  count: number,
  options: {pack?: boolean | undefined; avoid?: ReadonlySet<string> | undefined} = {},
): OfferPlan {
  const left = offers.map((offer) => ({...offer}))
  const placed = new Map<string, number>()
  let unplaced = 0
  for (let i = 0; i < count; i++) {
    const open = left.filter((offer) => fits(offer, request))
    const preferred = open.filter((offer) => !options.avoid?.has(offer.host))
    const pool = preferred.length > 0 ? preferred : open
    const chosen = options.pack ? pool[0] : [...pool].sort((a, b) => roomier(a, b, request))[0]
    if (chosen === undefined) {
      unplaced += 1
      continue
    }

    takeShare(chosen, request)
    placed.set(chosen.host, (placed.get(chosen.host) ?? 0) + 1)
  }

  const best = [...left].sort((a, b) => roomier(a, b, request))[0]
  const known = best !== undefined && (best.cpus !== null || best.mem !== null)
  return {
    placement: new Map(offers.filter((offer) => placed.has(offer.host)).map((o) => [o.host, placed.get(o.host) ?? 0])),
    used: offers.filter((offer) => placed.has(offer.host)),
    unplaced,
    best: known && best ? {...best, cpus: tidyOrNull(best.cpus), mem: tidyOrNull(best.mem)} : null,
  }
}

/** One task's share off an offer. */
function takeShare(offer: HostOffer, request: Resources): void {
  if (request.cpus !== undefined && offer.cpus !== null) offer.cpus -= request.cpus
  if (request.mem !== undefined && offer.mem !== null) offer.mem -= request.mem
}

/**
 * A task placed on `host` by someone else's choice (keep's place hook): takes its share off the
 * host's offer in `left` when it holds it. Returns null when it did, else why not.
 */
export function claimOffer(left: HostOffer[], host: string, request: Resources): null | string {
  const offer = left.find((o) => o.host === host)
  if (offer === undefined) return 'it made no offer (its probe failed)'
  if (!fits(offer, request)) return `a task needs ${describeResources(request)}, it has ${describeOffer(offer)}`
  takeShare(offer, request)
  return null
}

function tidyOrNull(value: number | null): number | null {
  return value === null ? null : tidy(value)
}

/** `1.5 cpus, 12.0 GiB free` (n/a for what the host cannot say). */
export function describeOffer(offer: HostOffer): string {
  const cpus = offer.cpus === null ? 'n/a cpus' : describeResources({cpus: offer.cpus})
  const mem = offer.mem === null ? 'n/a memory' : describeResources({mem: offer.mem})
  return `${cpus}, ${mem} free`
}

/** Why a task was not started: `needs 2 cpus, 4.0 GiB; best host 127.0.1.3 has 1.5 cpus, 12.0 GiB free`. */
export function shortfallMessage(request: Resources, best: HostOffer | null): string {
  const needs = `needs ${describeResources(request)}`
  return best === null
    ? `${needs}; no host says what it has free (n/a: declare it in <remote-root>/resources or the inventory)`
    : `${needs}; best host ${best.host} has ${describeOffer(best)}`
}
