import type {Host} from '../inventory/host.js'
import type {SshSession} from '../ssh/session.js'
import type {TaskView} from './task-view.js'
import type {KeepHooks, ListTasksOptions, PlaceRequest} from './types.js'

import {runOverSsh} from '../fanout/run-over-ssh.js'
import {planTaskPlacement} from './plan-task-placement.js'

/** How keep's hooks reach the hosts, and where they say what went wrong. */
export interface HookContext extends ListTasksOptions {
  log: (text: string) => void
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
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
 * the unhealthy tasks (false, or a throw); a host that cannot be reached is left to the
 * listing, which calls its tasks lost.
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
  await runOverSsh(busy, context.connect, context.fanOut, async (session) => {
    for (const task of running.filter((t) => t.host === session.host.name)) {
      const sick = await sicknessOf(hook, task, session)
      if (sick === null) continue
      unhealthy.add(task.id)
      context.log(`health ${task.id} @${task.host} failed${sick}`)
    }
  })
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
    return `: ${messageOf(error)}`
  }
}

/** Keep's default placement: fewest running tasks first, hosts in `request.avoid` last. */
export function placeByCount(hosts: Host[], tasks: TaskView[], request: PlaceRequest): string[] {
  const running = new Map<string, number>()
  for (const task of tasks) if (task.state === 'running') running.set(task.host, (running.get(task.host) ?? 0) + 1)
  const names = hosts.map((host) => host.name)
  const placed = planTaskPlacement(names, running, request.count, request.avoid)
  return [...placed].flatMap(([host, count]) => Array.from({length: count}, () => host))
}

/** Where `count` new tasks go by the hook's answer, as host -> count; names outside `hosts` are dropped. */
export async function placeTasks(
  hosts: Host[],
  tasks: TaskView[],
  request: PlaceRequest,
  context: {place: KeepHooks['place']; log: (text: string) => void},
): Promise<Map<string, number>> {
  const {place} = context
  let chosen: string[]
  try {
    chosen = await (place ?? placeByCount)(hosts, tasks, request)
  } catch (error) {
    context.log(`place hook failed: ${messageOf(error)}; placing by count`)
    chosen = placeByCount(hosts, tasks, request)
  }

  const known = new Set(hosts.map((host) => host.name))
  const placement = new Map<string, number>()
  for (const host of chosen.slice(0, request.count)) {
    if (known.has(host)) placement.set(host, (placement.get(host) ?? 0) + 1)
    else context.log(`place hook chose ${host}: not a host that answered; skipped`)
  }

  return placement
}
