import {execFile} from 'node:child_process'
import {accessSync, constants, statSync} from 'node:fs'
import {posix, resolve} from 'node:path'
import {promisify} from 'node:util'

import type {SshSession} from '../ssh/session.js'
import type {KeepHooks} from './types.js'

import {UsageError} from '../errors.js'
import {failure, HostFailure} from '../host-result.js'
import {posixShell, shellJoin} from '../remote/shell-quote.js'
import {hostBinDir} from './task-paths.js'
import {uploadReplacing} from './upload-task-file.js'

const run = promisify(execFile)

/** The hooks a caller hands to keep: each a function, or the path of a local executable. */
export type KeepHookOptions = Omit<KeepHooks, 'health' | 'init' | 'maintenance'> & {
  [Name in HookName]?: KeepHooks[Name] | string
}

type HookName = 'health' | 'init' | 'maintenance'

const HOOK_NAMES: readonly HookName[] = ['health', 'init', 'maintenance']

/** Where a project's hook executables go on the hosts. */
export interface HookSite {
  remoteRoot: string
  project: string
}

/**
 * The hooks keep runs: functions as given; a path (relative to `cwd`), as an executable (a path
 * that is not one is a usage error); a hook not given, as the executable of that name in
 * `hooksDir`, when there.
 */
export function resolveKeepHooks(
  given: KeepHookOptions,
  where: {hooksDir: string; cwd: string},
  site: HookSite,
): KeepHooks {
  const files: Partial<Record<HookName, string>> = {}
  for (const name of HOOK_NAMES) {
    const hook = given[name]
    if (typeof hook === 'string') {
      const path = resolve(where.cwd, hook)
      if (!isExecutable(path)) throw new UsageError(`--${name} ${hook}: not an executable file`)
      files[name] = path
    } else if (hook === undefined && isExecutable(resolve(where.cwd, where.hooksDir, name))) {
      files[name] = resolve(where.cwd, where.hooksDir, name)
    }
  }

  const fromFiles = fileHooks(files, site)
  const pick = <Name extends HookName>(name: Name): KeepHooks[Name] => {
    const hook = given[name]
    return typeof hook === 'function' ? (hook as KeepHooks[Name]) : fromFiles[name]
  }

  return {health: pick('health'), init: pick('init'), maintenance: pick('maintenance'), place: given.place}
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/**
 * The CLI's hooks: executables. `health` runs on the task's host as `<hook> <task id> <pid>`
 * (also in $DIRECTOR_TASK_ID, $DIRECTOR_TASK_PID), healthy when it exits 0; `init` runs on the
 * host as `<hook> <project>`; `maintenance` runs here, for at most a minute. Each is uploaded
 * to `<remote-root>/bin/<project>/<host>/hooks/<name>` once per session (homes may be shared).
 */
function fileHooks(files: Partial<Record<HookName, string>>, site: HookSite): KeepHooks {
  // Uploaded once per session and hook: a cycle's checks of several tasks on one host share it.
  const uploader = (name: HookName, file: string): ((session: SshSession) => Promise<string>) => {
    const uploads = new WeakMap<SshSession, Promise<string>>()
    return async (session) => {
      let target = uploads.get(session)
      if (target === undefined) {
        const remote = posix.join(hostBinDir(site.remoteRoot, site.project, session.host.name), 'hooks', name)
        // Not the task's fault: a hook that cannot be put on the host is the host's failure.
        target = uploadReplacing(session, file, remote).catch((error: unknown) => {
          if (error instanceof HostFailure) throw error
          const why = error instanceof Error ? error.message : String(error)
          throw new HostFailure(failure('remote-error', `${session.host.name}: cannot upload the ${name} hook: ${why}`))
        })
        uploads.set(session, target)
      }

      return target
    }
  }

  const {health, init, maintenance} = files
  const hooks: KeepHooks = {}
  if (health !== undefined) {
    const upload = uploader('health', health)
    hooks.health = async (task, session) => {
      const target = await upload(session)
      const pid = String(task.pid)
      const env = `DIRECTOR_TASK_ID=${shellJoin([task.id])} DIRECTOR_TASK_PID=${pid}`
      const result = await session.exec(posixShell(`${env} ${shellJoin([target, task.id, pid])}`))
      if (result.code !== 0) throw new Error(`exit ${result.code ?? result.signal} ${result.stderr.trim()}`.trimEnd())
      return true
    }
  }

  if (init !== undefined) {
    const upload = uploader('init', init)
    hooks.init = async (_host, session) => {
      const target = await upload(session)
      const result = await session.exec(posixShell(shellJoin([target, site.project])))
      if (result.code !== 0) throw new Error(`exit ${result.code ?? result.signal}: ${result.stderr.trim()}`)
    }
  }

  if (maintenance !== undefined)
    hooks.maintenance = async () => {
      try {
        await run(maintenance, [], {encoding: 'utf8', timeout: 60_000})
      } catch (error) {
        const {code, signal, stderr, message} = error as {
          code?: number | string
          signal?: string
          stderr?: string
          message: string
        }
        const why = typeof code === 'number' || signal ? `exit ${code ?? signal}` : message
        throw new Error(`${maintenance}: ${why} ${stderr?.trim() ?? ''}`.trimEnd())
      }
    }

  return hooks
}
