import type {Host} from '../inventory/host.js'
import type {ListTasksOptions} from './list-tasks.js'
import type {TaskState} from './task-state.js'

import {runOverSsh} from '../fanout/run-over-ssh.js'
import {failure, HostFailure} from '../host-result.js'
import {remoteShellWord} from '../run/remote-layout.js'
import {posixShell, shellJoin} from '../ssh/shell-quote.js'
import {readHostTasks} from './list-tasks.js'
import {endTime} from './task-history.js'
import {isTaskId} from './task-id.js'
import {tasksDir} from './task-scripts.js'
import {isTerminal} from './task-state.js'
import {readTaskRecords, rewriteTaskRecords} from './task-store.js'
import {buildTaskViews} from './task-view.js'

export interface PruneRequest {
  stateDir: string
  /** Only tasks that ended at least this long ago (their end time, else their start); 0: every ended one. */
  olderThanMs: number
  now?: Date
}

/** What `task prune` reports: the tasks whose record and sandbox went, and the hosts not asked. */
export interface PruneReport {
  pruned: Array<{id: string; host: string; state: TaskState}>
  unreachable: Array<{host: string; reason: string}>
}

/**
 * Removes ended tasks (of the project, when given) that ended long enough ago: each one's
 * sandbox on its host and its local record. A live task (staging, running) is never touched.
 * Per host: one exec reads the sandboxes, one removes the chosen ones and says which are gone.
 * The records of a host that does not answer stay.
 */
export async function pruneTasks(
  hosts: Host[],
  request: PruneRequest,
  options: ListTasksOptions,
): Promise<PruneReport> {
  const records = readTaskRecords(request.stateDir)
  const now = (request.now ?? new Date()).getTime()
  // Recorded under another remote root: not in this listing, so not known to have ended.
  const elsewhere = new Set(records.filter((r) => r.remoteRoot !== options.remoteRoot).map((r) => r.id))
  const results = await runOverSsh(hosts, options.connect, options.fanOut, async (session, signal) => {
    const listing = await readHostTasks(session, options.remoteRoot, signal)
    const views = buildTaskViews([{host: session.host.name, ok: true, listing}], records, options.project)
    const chosen = views.filter(
      (view) =>
        isTerminal(view.state) &&
        isTaskId(view.id) &&
        !elsewhere.has(view.id) &&
        now - endTime(view) >= request.olderThanMs,
    )
    const sandboxes = new Set(listing.tasks.map((fields) => fields.id))
    const remove = chosen.filter((view) => sandboxes.has(view.id)).map((view) => view.id)
    if (remove.length > 0) {
      const result = await session.exec(posixShell(removeSandboxesScript(options.remoteRoot, remove)), {signal})
      const gone = new Set(result.stdout.split('\n'))
      const left = remove.filter((id) => !gone.has(`gone ${id}`))
      if (left.length > 0) {
        const detail = result.stderr.trim() || `exit ${result.code ?? result.signal}`
        throw new HostFailure(
          failure('remote-error', `${session.host.name}: cannot remove ${left.join(', ')}: ${detail}`),
        )
      }
    }

    return chosen.map((view) => ({id: view.id, host: view.host, state: view.state}))
  })
  const pruned = results.flatMap((result) => (result.ok ? result.value : []))
  const ids = new Set(pruned.map((task) => task.id))
  rewriteTaskRecords(request.stateDir, (record) => !ids.has(record.id))
  return {
    pruned,
    unreachable: results.flatMap((result) => (result.ok ? [] : [{host: result.host, reason: result.failure.message}])),
  }
}

/** Removes the sandboxes named (task ids only), printing `gone <id>` for each one no longer there. */
function removeSandboxesScript(remoteRoot: string, ids: string[]): string {
  return [
    `root=${remoteShellWord(tasksDir(remoteRoot))}`,
    `for id in ${shellJoin(ids)}; do`,
    '  rm -rf -- "$root/$id"',
    `  [ -e "$root/$id" ] || printf 'gone %s\\n' "$id"`,
    'done',
    'exit 0',
  ].join('\n')
}
