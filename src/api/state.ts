import type {ClearReport, StateReport} from '../core/tasks/keep-state.js'

import {clearKeepState, readKeepState} from '../core/tasks/keep-state.js'
import {type StoreOptions, withRequiredStore} from './store.js'

export interface StateOptions extends StoreOptions {
  /** Only this project; default every project in the store. */
  project?: string | undefined
}

/** `director state`: per project, the leader, the standbys, what is kept, and the recorded tasks. */
export async function keepState(options: StateOptions): Promise<StateReport> {
  return withRequiredStore(options.store, async (store) => readKeepState(store, options.project))
}

export interface ClearStateOptions extends StoreOptions {
  project: string
  /** Clear even while a controller leads the project; default false. */
  force?: boolean | undefined
}

/** `director state clear`: removes the project's keys from the store; never touches a task on a host. */
export async function clearState(options: ClearStateOptions): Promise<ClearReport> {
  return withRequiredStore(options.store, async (store) =>
    clearKeepState(store, options.project, options.force ?? false),
  )
}
