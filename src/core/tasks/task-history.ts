import type {TaskView} from './task-view.js'

import {UsageError} from '../errors.js'
import {isTerminal, TASK_STATES, type TaskState} from './task-state.js'

/** How many ended tasks `task list` shows by default, the most recent first ended. */
export const RECENT_ENDED = 10

/** Which tasks a listing shows: in these states (all when undefined), and every ended one or the recent. */
export interface HistoryFilter {
  states?: readonly TaskState[] | undefined
  /** Every ended task, not only the RECENT_ENDED last ones. */
  all: boolean
}

/** `running,failed` as states; a UsageError naming the first unknown one. */
export function parseTaskStates(text: string): TaskState[] {
  const words = text.split(',').map((word) => word.trim())
  const states: TaskState[] = []
  for (const word of words) {
    const state = TASK_STATES.find((known) => known === word)
    if (state === undefined)
      throw new UsageError(`--state: unknown state "${word}" (states are ${TASK_STATES.join(', ')}, comma-separated)`)
    if (!states.includes(state)) states.push(state)
  }

  return states
}

/**
 * The tasks to show, in the order given: those in the wanted states, every live one, and of
 * the ended ones the RECENT_ENDED that ended last (by end time, else start time), unless
 * `all`. `hidden` counts the ended ones left out.
 */
export function selectTaskHistory(views: TaskView[], filter: HistoryFilter): {tasks: TaskView[]; hidden: number} {
  const wanted = views.filter((view) => filter.states === undefined || filter.states.includes(view.state))
  if (filter.all) return {tasks: wanted, hidden: 0}
  const ended = wanted.filter((view) => isTerminal(view.state))
  const recent = new Set(
    ended
      .map((view) => ({id: view.id, at: endTime(view)}))
      .sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1))
      .slice(0, RECENT_ENDED)
      .map((entry) => entry.id),
  )
  const tasks = wanted.filter((view) => !isTerminal(view.state) || recent.has(view.id))
  return {tasks, hidden: wanted.length - tasks.length}
}

/** When a task ended, for ordering: its end time, else its start; 0 when neither is known. */
export function endTime(view: TaskView): number {
  const at = Date.parse(view.endedAt ?? view.startedAt ?? '')
  return Number.isNaN(at) ? 0 : at
}
