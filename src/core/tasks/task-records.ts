import type {CoordinationStore, Fence} from '../store/types.js'
import type {TaskState} from './task-state.js'

import {appendTaskRecords, readTaskRecords, rewriteTaskRecords, type TaskRecord} from './task-store.js'

/**
 * Where director keeps the records of the tasks it started: the local state dir (tasks.jsonl),
 * or the coordination store, where every controller on the same store sees them.
 */
export interface TaskRecords {
  /** Where, for messages: the tasks.jsonl path or the store's endpoint. */
  readonly where: string
  /** The records (of `project`, when given). */
  read(project?: string): Promise<TaskRecord[]>
  /** Before the SSH start: what is known yet (no pid). The local file keeps only started tasks. */
  starting(record: TaskRecord): Promise<void>
  /** Once the host confirmed the pid. */
  started(record: TaskRecord): Promise<void>
  /** When keep saw the task end. The local file does not keep states: the hosts' sandboxes say them. */
  ended(record: Pick<TaskRecord, 'id' | 'project'>, state: TaskState, endedAt: string | null): Promise<void>
  /** Keeps only the records `keep` says yes to. */
  retain(keep: (record: TaskRecord) => boolean): Promise<void>
}

/** The local state dir's tasks.jsonl, as director has always kept it. */
export function localTaskRecords(stateDir: string): TaskRecords {
  return {
    where: stateDir,
    read: async (project) => readTaskRecords(stateDir).filter((r) => project === undefined || r.project === project),
    async starting() {},
    started: async (record) => appendTaskRecords(stateDir, [record]),
    async ended() {},
    retain: async (keep) => rewriteTaskRecords(stateDir, keep),
  }
}

/** A record as the store holds it: the task record and where it is in its life. */
export interface StoredTaskRecord extends TaskRecord {
  state: 'starting' | TaskState
  endedAt?: string | null
}

/** `director/<project>/`: everything of one project in the store. */
export function projectPrefix(project: string): string {
  return `director/${project}/`
}

function taskKey(record: Pick<TaskRecord, 'id' | 'project'>): string {
  return `${projectPrefix(record.project)}tasks/${record.id}`
}

const TASK_KEY = /^director\/[^/]+\/tasks\/[^/]+$/

/**
 * The store's records, `director/<project>/tasks/<id>` (JSON). With `fence`, each write is a
 * transaction that fails once its holder no longer leads (keep's writes).
 */
export function storeTaskRecords(
  store: CoordinationStore,
  fence: () => Fence | undefined = () => undefined,
): TaskRecords {
  const put = async (record: StoredTaskRecord): Promise<void> =>
    store.put(taskKey(record), JSON.stringify(record), fence())
  const readStored = async (project?: string): Promise<StoredTaskRecord[]> => {
    const entries = await store.list(project === undefined ? 'director/' : `${projectPrefix(project)}tasks/`)
    return entries.filter((entry) => TASK_KEY.test(entry.key)).flatMap((entry) => parseStored(entry.value))
  }

  return {
    where: store.endpoint,
    read: async (project) => (await readStored(project)).map(({endedAt: _e, state: _s, ...record}) => record),
    starting: async (record) => put({...record, state: 'starting'}),
    started: async (record) => put({...record, state: 'running'}),
    async ended(record, state, endedAt) {
      const text = await store.get(taskKey(record))
      const [stored] = text === undefined ? [] : parseStored(text)
      if (stored !== undefined && stored.state !== state) await put({...stored, state, endedAt})
    },
    async retain(keep) {
      for (const record of await readStored()) if (!keep(record)) await store.delete(taskKey(record), {fence: fence()})
    },
  }
}

/** A stored record's JSON, as one record; none when it is not one (a hand-made or broken key). */
export function parseStored(text: string): StoredTaskRecord[] {
  try {
    const value = JSON.parse(text) as Partial<StoredTaskRecord>
    return typeof value.id === 'string' && typeof value.project === 'string' && typeof value.host === 'string'
      ? [value as StoredTaskRecord]
      : []
  } catch {
    return []
  }
}
