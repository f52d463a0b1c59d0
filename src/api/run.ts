import type {RerunState} from '../core/run/run-report.js'

import {type RunEvents, runOnFleet, type RunOnFleetReport} from '../core/run/run-on-fleet.js'
import {RUN_DEFAULTS} from '../core/run/run-request.js'
import {type FleetOptions, withFleet} from './fleet-options.js'

export interface RunOptions extends FleetOptions {
  /** A local script to upload and run (relative to `cwd`); or give `command`. */
  script?: string | undefined
  /** The script's arguments, passed literally. */
  args?: string[] | undefined
  /** An ad-hoc shell command instead of a script (`-c`). */
  command?: string | undefined
  /** Repeat the project's last run on the hosts that ended this way (`--rerun`). */
  rerun?: RerunState | undefined
  /** Groups runs on the hosts and in `outDir`; default `default`. */
  project?: string | undefined
  /** Remote folder of `run/`; default `~/director`. */
  remoteRoot?: string | undefined
  /** Run folders of the project each host keeps; default 5. */
  keepRuns?: number | undefined
  /** Local base folder of outputs (`--out`); default `output`. */
  outDir?: string | undefined
  /** Folder `script` and `outDir` are relative to; default `process.cwd()`. */
  cwd?: string | undefined
  /** Called as hosts start, print and finish. */
  events?: RunEvents | undefined
}

/**
 * `director run`: the script or command on every host at once; each host's stdout, stderr, exit
 * code and output files land in `<outDir>/<project>/<run id>/<host>/`, with summary.json.
 */
export async function run(options: RunOptions): Promise<RunOnFleetReport> {
  const request = {
    script: options.script,
    args: options.args ?? [],
    command: options.command,
    rerun: options.rerun,
    project: options.project ?? RUN_DEFAULTS.project,
    remoteRoot: options.remoteRoot ?? RUN_DEFAULTS.remoteRoot,
    keepRuns: options.keepRuns ?? RUN_DEFAULTS.keepRuns,
    outDir: options.outDir ?? RUN_DEFAULTS.outDir,
    cwd: options.cwd ?? process.cwd(),
  }
  return withFleet(options, async ({hosts, connect, fanOut}) =>
    runOnFleet(hosts, request, {connect, fanOut, ...(options.events && {events: options.events})}),
  )
}
