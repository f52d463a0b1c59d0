import type {DataEvents, DataReport} from '../core/data/types.js'

import {DATA_DEFAULTS} from '../core/data/data-defaults.js'
import {distributeData as distribute} from '../core/data/distribute-data.js'
import {type PlacementMode} from '../core/data/plan-placement.js'
import {type FleetOptions, withFleet} from './fleet-options.js'

export interface DataOptions extends FleetOptions {
  /** The local folder of data files, walked recursively. */
  dir: string
  /** One name: files go to `<remoteRoot>/data/<project>/` on the hosts. */
  project: string
  /** Extensions to send, without the dot; default `txt`, `zip`, `gz`; `'all'` for every regular file. */
  extensions?: string[] | 'all' | undefined
  /** `mod`, `random` or `auto` (default): how files are placed over the whole inventory. */
  placement?: PlacementMode | undefined
  /** Seed of `random` placement, to repeat one. */
  seed?: number | undefined
  /** Keep the local sources after their copies are verified; default false. */
  keep?: boolean | undefined
  /** Send a new file that reuses a delivered one's name, replacing the copy; default false. */
  replace?: boolean | undefined
  /** Plan only: nothing is sent; default false. */
  dryRun?: boolean | undefined
  /** Folder on the hosts under which `data/<project>/` is written; default `~/director`. */
  remoteRoot?: string | undefined
  /** The plan before sending, and progress while sending. */
  events?: DataEvents | undefined
}

/**
 * `director data`: spreads the folder's data files across the hosts, each to exactly one host,
 * md5-verified on the host's disk before its source is deleted; resumable.
 */
export async function distributeData(options: DataOptions): Promise<DataReport> {
  const request = {
    dir: options.dir,
    project: options.project,
    extensions: options.extensions === 'all' ? undefined : (options.extensions ?? DATA_DEFAULTS.extensions),
    placement: options.placement ?? DATA_DEFAULTS.placement,
    seed: options.seed,
    keep: options.keep ?? false,
    replace: options.replace ?? false,
    dryRun: options.dryRun ?? false,
    remoteRoot: options.remoteRoot ?? DATA_DEFAULTS.remoteRoot,
  }
  return withFleet(options, async ({hosts, all, connect, fanOut}) =>
    distribute({all, selected: hosts}, request, {connect, fanOut, events: options.events ?? {}}),
  )
}
