import {statSync} from 'node:fs'
import {basename, resolve} from 'node:path'

import type {RunWhat} from '../remote/run-what.js'
import type {RerunState} from './run-report.js'

import {UsageError} from '../errors.js'
import {DEFAULT_PROJECT, DEFAULT_REMOTE_ROOT} from '../remote/remote-path.js'

/** The defaults of a run's request, the same for the library and the CLI's flags. */
export const RUN_DEFAULTS = {
  project: DEFAULT_PROJECT,
  remoteRoot: DEFAULT_REMOTE_ROOT,
  keepRuns: 5,
  outDir: 'output',
} as const

/** `director run` as the user asked for it, before anything is checked. */
export interface RunRequest {
  /** A local script (relative to `cwd`), or undefined with `command` or `rerun`. */
  script?: string | undefined
  /** Arguments for the script, passed literally. */
  args: string[]
  /** An ad-hoc shell command instead of a script. */
  command?: string | undefined
  /** Repeat the project's last run on the hosts that ended this way. */
  rerun?: RerunState | undefined
  project: string
  remoteRoot: string
  /** Run folders of the project each host keeps, this run's included (at least 1). */
  keepRuns: number
  /** Base folder of local outputs: `<out>/<project>/<run id>/<host>/`. */
  outDir: string
  cwd: string
}

/**
 * What to run: exactly one of a script and a command (with `--rerun`, neither repeats the
 * earlier run's). A missing script is a usage error naming the file: nothing runs.
 */
export function chooseWhat(request: RunRequest): RunWhat | undefined {
  const {args, command, script} = request
  if (command !== undefined && script !== undefined)
    throw new UsageError(`give a script or -c/--command, not both (got "${script}" and -c "${command}")`)
  if (command !== undefined) {
    if (command.trim() === '') throw new UsageError('-c/--command is empty: give the shell command to run')
    return {kind: 'command', command}
  }

  if (script === undefined) {
    if (request.rerun !== undefined) return undefined
    if (args.length > 0) throw new UsageError('arguments without a script: put the script first')
    throw new UsageError("nothing to run: give a script (director run ./job.sh [args...]) or -c '<command>'")
  }

  return {kind: 'script', script: checkScript(resolve(request.cwd, script), script), args}
}

/** The absolute path of a local script that exists and is a file. */
export function checkScript(path: string, asGiven: string = path): string {
  const stats = statSync(path, {throwIfNoEntry: false})
  if (stats === undefined) throw new UsageError(`${asGiven}: no such script (nothing was run)`)
  if (!stats.isFile()) throw new UsageError(`${asGiven}: not a file (nothing was run)`)
  return path
}

/** The name the script gets on the hosts. */
export function scriptName(what: RunWhat): string | undefined {
  return what.kind === 'script' ? basename(what.script) : undefined
}
