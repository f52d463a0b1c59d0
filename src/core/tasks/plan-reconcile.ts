import type {TaskView} from './task-view.js'

/** When keep replaces a task that ended: only on failure (failed or lost), or always. */
export type RestartPolicy = 'always' | 'on-failure'

export interface Desired {
  count: number
  restart: RestartPolicy
}

/** What one reconcile cycle does. */
export interface ReconcilePlan {
  /** Tasks that ended since the last cycle (they are now accounted for). */
  ended: TaskView[]
  /** Tasks to start. */
  start: number
  /** Hosts a task just failed or got lost on: new tasks go elsewhere when they can. */
  avoid: Set<string>
  /** Ids of running tasks to stop (the newest), above the desired count. */
  stop: string[]
  /** Tasks that finished (exit 0) under on-failure: they count as done and are not replaced. */
  completed: number
}

/**
 * One cycle of `keep` (pure): `observed` are the project's tasks, `seen` the ids of ended tasks
 * already accounted for in earlier cycles, `completed` how many finished under on-failure so far.
 */
export function planReconcile(
  observed: TaskView[],
  desired: Desired,
  seen: ReadonlySet<string>,
  completed = 0,
): ReconcilePlan {
  const live = observed.filter((task) => task.state === 'running' || task.state === 'staging')
  const ended = observed.filter((task) => !seen.has(task.id) && task.state !== 'running' && task.state !== 'staging')
  const newlyCompleted = desired.restart === 'on-failure' ? ended.filter((t) => t.state === 'finished').length : 0
  const total = completed + newlyCompleted
  const target = Math.max(0, desired.count - total)
  const avoid = new Set(ended.filter((t) => t.state === 'failed' || t.state === 'lost').map((t) => t.host))
  const excess = Math.max(0, live.length - target)
  const stop = live
    .map((task) => task.id)
    .sort()
    .slice(live.length - excess)
  return {ended, start: Math.max(0, target - live.length), avoid, stop: excess > 0 ? stop : [], completed: total}
}
