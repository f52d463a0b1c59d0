import type {Host} from '../inventory/host.js'
import type {ListTasksOptions, PruneReport, PruneRequest} from './types.js'

import {runOverSsh} from '../fanout/run-over-ssh.js'
import {failure, HostFailure} from '../host-result.js'
import {IDENTITY_FUNCTIONS} from '../remote/proc-shell.js'
import {remoteShellWord} from '../remote/remote-path.js'
import {posixShell, shellQuote} from '../remote/shell-quote.js'
import {readHostTasks} from './list-tasks.js'
import {endTime} from './task-history.js'
import {isTaskId} from './task-id.js'
import {sandboxDirOf} from './task-paths.js'
import {localTaskRecords} from './task-records.js'
import {isTerminal} from './task-state.js'
import {buildTaskViews, ownSandboxes} from './task-view.js'

/**
 * Removes ended tasks (of the project, when given) that ended long enough ago: each one's
 * sandbox on its host and its local record. A live task (staging, running) is never touched,
 * nor a sandbox the host does not own (see ownSandboxes).
 * Per host: one exec reads the sandboxes, one removes the chosen ones and says which are gone.
 * The records of a host that does not answer stay.
 */
export async function pruneTasks(
  hosts: Host[],
  request: PruneRequest,
  options: ListTasksOptions,
): Promise<PruneReport> {
  const store = request.records ?? localTaskRecords(request.stateDir)
  const records = await store.read()
  const now = (request.now ?? new Date()).getTime()
  // Recorded under another remote root: not in this listing, so not known to have ended.
  const elsewhere = new Set(records.filter((r) => r.remoteRoot !== options.remoteRoot).map((r) => r.id))
  const results = await runOverSsh(hosts, options.connect, options.fanOut, async (session, signal) => {
    const host = session.host.name
    const listing = await readHostTasks(session, options.remoteRoot, signal)
    const views = buildTaskViews([{host, ok: true, listing}], records, options.project)
    const {own} = ownSandboxes(host, listing, records)
    const chosen = views.filter(
      (view) =>
        isTerminal(view.state) &&
        isTaskId(view.id) &&
        !elsewhere.has(view.id) &&
        now - endTime(view) >= request.olderThanMs,
    )
    const remove = chosen.flatMap((view) => {
      const fields = own.find((f) => f.id === view.id)
      if (fields === undefined) return []
      const record = records.find((r) => r.id === view.id)
      return [{id: view.id, dir: sandboxDirOf(options.remoteRoot, host, {id: view.id, record, legacy: fields.legacy})}]
    })
    if (remove.length > 0) {
      const result = await session.exec(posixShell(removeSandboxesScript(host, remove)), {signal})
      const gone = new Set(result.stdout.split('\n'))
      const left = remove.map((sandbox) => sandbox.id).filter((id) => !gone.has(`gone ${id}`))
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
  await store.retain((record) => !ids.has(record.id))
  return {
    pruned,
    unreachable: results.flatMap((result) => (result.ok ? [] : [{host: result.host, reason: result.failure.message}])),
  }
}

/**
 * Removes the sandboxes named, printing `gone <id>` for each one no longer there. One whose
 * owner file names another host (written there since it was listed) is kept.
 */
function removeSandboxesScript(host: string, sandboxes: Array<{id: string; dir: string}>): string {
  return [
    IDENTITY_FUNCTIONS,
    `H=${shellQuote(host)}`,
    'rm_one() {',
    '  if read_owner "$2" && [ "$o_host" != "$H" ]; then return 0; fi',
    '  rm -rf -- "$2"',
    `  [ -e "$2" ] || printf 'gone %s\\n' "$1"`,
    '}',
    ...sandboxes.map((sandbox) => `rm_one ${shellQuote(sandbox.id)} ${remoteShellWord(sandbox.dir)}`),
    'exit 0',
  ].join('\n')
}
