import {appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import type {Resources} from '../resources/resource-words.js'

import {located, UsageError} from '../errors.js'

/** One task director started, as kept in the local state file (`tasks.jsonl`). */
export interface TaskRecord {
  id: string
  project: string
  /** The inventory name of the host. */
  host: string
  remoteRoot: string
  pid: number
  pgid: number
  /** Field 22 of /proc/<pid>/stat when it started; empty when it ended before it was read. */
  startTime: string
  /** Local clock, ISO 8601. */
  startedAt: string
  /** The command line, as written to the sandbox's `cmd`. */
  command: string
  /** The sandbox, as a remote path; absent in records of the older layout (`<remote-root>/tasks/<id>`). */
  dir?: string
  /** The host's machine and boot when it started (see task-owner.ts); absent in older records. */
  machine?: string
  boot?: string
  /** What it asked for (`--cpus`, `--mem`), when it did. */
  resources?: Resources
}

const FILE_NAME = 'tasks.jsonl'

/** `<state dir>/tasks.jsonl`: one JSON record a line, appended as tasks start. */
export function taskStorePath(stateDir: string): string {
  return join(stateDir, FILE_NAME)
}

/** Every recorded task, oldest first; a missing file is none, a bad line a UsageError. */
export function readTaskRecords(stateDir: string): TaskRecord[] {
  const path = taskStorePath(stateDir)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw new UsageError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }

  return text.split('\n').flatMap((line, index) => {
    if (line.trim() === '') return []
    try {
      const record = JSON.parse(line) as Partial<TaskRecord>
      if (!isRecord(record)) throw new Error('bad shape')
      return [record]
    } catch {
      throw new UsageError(located(path, index + 1, 'not a task record; fix or delete the line'))
    }
  })
}

/** Appends records (one line each); the folder is made when missing. */
export function appendTaskRecords(stateDir: string, records: TaskRecord[]): void {
  if (records.length === 0) return
  mkdirSync(stateDir, {recursive: true})
  appendFileSync(taskStorePath(stateDir), records.map((record) => `${JSON.stringify(record)}\n`).join(''))
}

/**
 * Keeps only the records `keep` says yes to: the file is written anew beside the old one and
 * renamed over it, so a reader sees the old records or the new, never half of them.
 */
export function rewriteTaskRecords(stateDir: string, keep: (record: TaskRecord) => boolean): void {
  const records = readTaskRecords(stateDir)
  const kept = records.filter((record) => keep(record))
  if (kept.length === records.length) return
  const path = taskStorePath(stateDir)
  writeFileSync(`${path}.new`, kept.map((record) => `${JSON.stringify(record)}\n`).join(''))
  renameSync(`${path}.new`, path)
}

function isRecord(value: Partial<TaskRecord>): value is TaskRecord {
  return (
    typeof value.id === 'string' &&
    typeof value.project === 'string' &&
    typeof value.host === 'string' &&
    typeof value.remoteRoot === 'string' &&
    typeof value.pid === 'number' &&
    typeof value.pgid === 'number' &&
    typeof value.startTime === 'string' &&
    typeof value.startedAt === 'string' &&
    typeof value.command === 'string' &&
    isOptionalString(value.dir) &&
    isOptionalString(value.machine) &&
    isOptionalString(value.boot) &&
    (value.resources === undefined || typeof value.resources === 'object')
  )
}

function isOptionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string'
}
