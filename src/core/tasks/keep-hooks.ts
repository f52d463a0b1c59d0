import {spawnSync} from 'node:child_process'
import {accessSync, constants, statSync} from 'node:fs'
import {join, posix, resolve} from 'node:path'

import type {Host} from '../inventory/host.js'
import type {ListTasksOptions} from './list-tasks.js'
import type {TaskView} from './task-view.js'

import {UsageError} from '../errors.js'
import {runOverSsh} from '../fanout/run-over-ssh.js'
import {posixShell, shellJoin} from '../remote/shell-quote.js'
import {hostBinDir} from './task-paths.js'
import {uploadReplacing} from './upload-task-file.js'

/** The hooks of `keep`: local executables, the first two run on the hosts. */
export interface KeepHooks {
  /** Run on a task's host, per running task, each cycle: non-zero means the task is unhealthy. */
  health?: string | undefined
  /** Run on each host once, before its first task. */
  init?: string | undefined
  /** Run here each cycle. */
  maintenance?: string | undefined
}

const HOOK_NAMES = ['health', 'init', 'maintenance'] as const

/**
 * The hooks given by flag, else found as executables in `<hooks dir>/` (default
 * `./<project>/hooks/`). A hook named by flag that is not an executable file is a usage error.
 */
export function findHooks(given: KeepHooks, hooksDir: string): KeepHooks {
  const hooks: KeepHooks = {}
  for (const name of HOOK_NAMES) {
    const flag = given[name]
    if (flag !== undefined) {
      if (!isExecutable(resolve(flag))) throw new UsageError(`--${name} ${flag}: not an executable file`)
      hooks[name] = resolve(flag)
    } else if (isExecutable(join(hooksDir, name))) {
      hooks[name] = join(hooksDir, name)
    }
  }

  return hooks
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** Runs the maintenance hook here; a failure is logged, never fatal. */
export function runLocalHook(path: string, log: (text: string) => void): void {
  const result = spawnSync(path, [], {encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe']})
  if (result.error || result.status !== 0) {
    const why = result.error?.message ?? `exit ${result.status ?? result.signal}`
    log(`hook ${path} failed: ${why} ${result.stderr.trim()}`.trimEnd())
  }
}

export interface RemoteHookContext extends ListTasksOptions {
  project: string
  log: (text: string) => void
}

/** Where a hook goes on a host: `<remote-root>/bin/<project>/<host>/hooks/<name>` (homes may be shared). */
function remoteHookPath(context: RemoteHookContext, host: string, name: string): string {
  return posix.join(hostBinDir(context.remoteRoot, context.project, host), 'hooks', name)
}

/**
 * Uploads and runs the init hook on the hosts not initialized yet (`done` grows as they succeed):
 * a host that was down is tried again next cycle. A failure is logged, not fatal.
 */
export async function runInitHook(
  hosts: Host[],
  hook: string,
  done: Set<string>,
  context: RemoteHookContext,
): Promise<void> {
  const pending = hosts.filter((host) => !done.has(host.name))
  if (pending.length === 0) return
  const results = await runOverSsh(pending, context.connect, context.fanOut, async (session, signal) => {
    const target = await uploadReplacing(session, hook, remoteHookPath(context, session.host.name, 'init'), signal)
    return session.exec(posixShell(shellJoin([target, context.project])), {signal})
  })
  for (const result of results) {
    if (result.ok && result.value.code === 0) {
      done.add(result.host)
      context.log(`init @${result.host}: ok`)
    } else {
      const why = result.ok
        ? `exit ${result.value.code ?? result.value.signal}: ${result.value.stderr.trim()}`
        : result.failure.message
      context.log(`init @${result.host} failed: ${why}`)
    }
  }
}

/**
 * Runs the health hook on each running task's host, as `<hook> <task id> <pid>` (also in
 * $DIRECTOR_TASK_ID and $DIRECTOR_TASK_PID). Returns the ids of the unhealthy tasks; a host that
 * cannot be asked is left to the listing, which calls its tasks lost.
 */
export async function runHealthHook(
  hosts: Host[],
  tasks: TaskView[],
  hook: string,
  context: RemoteHookContext,
): Promise<Set<string>> {
  const running = tasks.filter((task) => task.state === 'running' && task.pid !== null)
  const busy = hosts.filter((host) => running.some((task) => task.host === host.name))
  const unhealthy = new Set<string>()
  await runOverSsh(busy, context.connect, context.fanOut, async (session, signal) => {
    const target = await uploadReplacing(session, hook, remoteHookPath(context, session.host.name, 'health'), signal)
    for (const task of running.filter((t) => t.host === session.host.name)) {
      const pid = String(task.pid)
      const command = `DIRECTOR_TASK_ID=${shellJoin([task.id])} DIRECTOR_TASK_PID=${pid} ${shellJoin([target, task.id, pid])}`
      const result = await session.exec(posixShell(command), {signal})
      if (result.code !== 0) {
        unhealthy.add(task.id)
        context.log(
          `health ${task.id} @${task.host} failed: exit ${result.code ?? result.signal} ${result.stderr.trim()}`.trimEnd(),
        )
      }
    }
  })
  return unhealthy
}
