import type {Host} from '../inventory/host.js'
import type {SshSession} from '../ssh/session.js'
import type {TaskView} from './task-view.js'
import type {KeepHooks, ListTasksOptions, PlaceRequest} from './types.js'

import {messageOf} from '../errors.js'
import {runOverSsh} from '../fanout/run-over-ssh.js'
import {HostFailure} from '../host-result.js'
import {type HostOffer} from '../resources/host-resources.js'
import {claimOffer, describeOffer, planOfferPlacement, shortfallMessage} from '../resources/plan-offer-placement.js'
import {probeOffers} from '../resources/read-host-resources.js'
import {isEmptyRequest} from '../resources/resource-words.js'
import {countRunning, planTaskPlacement} from './plan-task-placement.js'

/** How keep's hooks reach the hosts, and where they say what went wrong. */
export interface HookContext extends ListTasksOptions {
  log: (text: string) => void
}

/** Runs the maintenance hook here; a throw is logged, never fatal. */
export async function runMaintenance(hook: NonNullable<KeepHooks['maintenance']>, context: HookContext): Promise<void> {
  try {
    await hook()
  } catch (error) {
    context.log(`maintenance hook failed: ${messageOf(error)}`)
  }
}

/**
 * Runs the init hook on the hosts not initialized yet (`done` grows as they succeed): a host
 * that was down, or where the hook threw, is tried again next cycle. A failure is logged.
 */
export async function runInit(
  hosts: Host[],
  hook: NonNullable<KeepHooks['init']>,
  done: Set<string>,
  context: HookContext,
): Promise<void> {
  const pending = hosts.filter((host) => !done.has(host.name))
  if (pending.length === 0) return
  const results = await runOverSsh(pending, context.connect, context.fanOut, async (session) => {
    await hook(session.host, session)
  })
  for (const result of results) {
    if (result.ok) {
      done.add(result.host)
      context.log(`init @${result.host}: ok`)
    } else {
      context.log(`init @${result.host} failed: ${result.failure.message}`)
    }
  }
}

/**
 * Asks the health hook about each running task, over one session per host. Returns the ids of
 * the unhealthy tasks (false, or a throw). A host that cannot be asked (no login, a lost
 * connection, a HostFailure from the hook) marks none of its tasks: it is logged, and left to
 * the listing, which calls its tasks lost when it cannot be reached either.
 */
export async function checkHealth(
  hosts: Host[],
  tasks: TaskView[],
  hook: NonNullable<KeepHooks['health']>,
  context: HookContext,
): Promise<Set<string>> {
  const running = tasks.filter((task) => task.state === 'running' && task.pid !== null)
  const busy = hosts.filter((host) => running.some((task) => task.host === host.name))
  const unhealthy = new Set<string>()
  const results = await runOverSsh(busy, context.connect, context.fanOut, async (session) => {
    for (const task of running.filter((t) => t.host === session.host.name)) {
      const sick = await sicknessOf(hook, task, session)
      if (sick === null) continue
      unhealthy.add(task.id)
      context.log(`health ${task.id} @${task.host} failed${sick}`)
    }
  })
  for (const result of results)
    if (!result.ok) context.log(`health @${result.host} not asked: ${result.failure.message}`)
  return unhealthy
}

/** Null for a healthy task; else what to add to the log line (the hook's error, if it threw). */
async function sicknessOf(
  hook: NonNullable<KeepHooks['health']>,
  task: TaskView,
  session: SshSession,
): Promise<null | string> {
  try {
    return (await hook(task, session)) ? null : ''
  } catch (error) {
    // The host, not the task: the session could not carry the check.
    if (error instanceof HostFailure) throw error
    return `: ${messageOf(error)}`
  }
}

/** Keep's default placement: fewest running tasks first, hosts in `request.avoid` last. */
export function placeByCount(hosts: Host[], tasks: TaskView[], request: PlaceRequest): string[] {
  const names = hosts.map((host) => host.name)
  return expand(planTaskPlacement(names, countRunning(tasks), request.count, request.avoid))
}

/** host -> count as one host name per task. */
function expand(placement: ReadonlyMap<string, number>): string[] {
  return [...placement].flatMap(([host, count]) => Array.from({length: count}, () => host))
}

/**
 * Keep's offer round (with `request.resources`): per task, the roomiest host whose offer holds
 * it (or the first, with `pack`), away from `request.avoid` when another fits. Logs each offer
 * used and, for what does not fit, what it needs and the best offer seen; never overcommits.
 */
function placeByOffers(request: PlaceRequest, log: (text: string) => void): string[] {
  const resources = request.resources ?? {}
  const plan = planOfferPlacement(request.offers ?? [], resources, request.count, {
    pack: request.policy?.pack,
    avoid: request.avoid,
  })
  for (const offer of plan.used)
    log(`offer @${offer.host}: ${describeOffer(offer)}; placing ${plan.placement.get(offer.host)}`)
  if (plan.unplaced > 0) log(`cannot place ${plan.unplaced} task(s): ${shortfallMessage(resources, plan.best)}`)
  return expand(plan.placement)
}

/** What each host that answered the probe offers (capacity less its live tasks' reservations). */
async function offerRound(hosts: Host[], request: PlaceRequest, context: HookContext): Promise<HostOffer[]> {
  const respectLoad = request.policy?.respectLoad ?? false
  const {offers, unreachable} = await probeOffers(hosts, {...context, respectLoad})
  for (const {host, reason} of unreachable) context.log(`offer @${host}: ${reason}`)
  return offers
}

/**
 * Where `count` new tasks go by the hook's answer, as host -> count; names outside `hosts` are
 * dropped. With resources asked for, the hosts are probed first and the hook sees their offers
 * (`request.offers`); without a hook, the offer round places them. A hook's choice that no
 * longer fits its host's offer is skipped and logged.
 */
export async function placeTasks(
  hosts: Host[],
  tasks: TaskView[],
  request: PlaceRequest,
  context: HookContext & {place: KeepHooks['place']},
): Promise<Map<string, number>> {
  const {place} = context
  const offers = isEmptyRequest(request.resources) ? undefined : await offerRound(hosts, request, context)
  const asked = offers === undefined ? request : {...request, offers}
  let chosen: string[]
  try {
    chosen =
      place === undefined && offers !== undefined
        ? placeByOffers(asked, context.log)
        : await (place ?? placeByCount)(hosts, tasks, asked)
  } catch (error) {
    context.log(`place hook failed: ${messageOf(error)}; placing by ${offers === undefined ? 'count' : 'offers'}`)
    chosen = offers === undefined ? placeByCount(hosts, tasks, request) : placeByOffers(asked, context.log)
  }

  const known = new Set(hosts.map((host) => host.name))
  // A hook's choice too must fit: what a host no longer holds is never overcommitted.
  const left = offers?.map((offer) => ({...offer}))
  const placement = new Map<string, number>()
  for (const host of chosen.slice(0, request.count)) {
    const full = known.has(host) && left !== undefined ? claimOffer(left, host, request.resources ?? {}) : null
    if (!known.has(host)) context.log(`place hook chose ${host}: not a host that answered; skipped`)
    else if (full === null) placement.set(host, (placement.get(host) ?? 0) + 1)
    else context.log(`place hook chose ${host}: no room, ${full}; skipped`)
  }

  return placement
}
