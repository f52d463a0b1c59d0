import {mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join, resolve} from 'node:path'

import {UsageError} from '../errors.js'

/** One service we started, as recorded in the state file. */
export interface ServiceRecord {
  port: number
  host: string
  pid: number
  /** When it started (ISO 8601). */
  startedAt: string
  /** Field 22 of /proc/<pid>/stat when it started: tells our process from a reused pid. */
  procStartTime: string
  /** True when the services run inside a `start_local --foreground` process. */
  foreground: boolean
  logFile: string
}

export interface StateFile {
  path: string
  services: ServiceRecord[]
}

const FILE_NAME = 'local-services.json'

/** `--state-dir`, else `$XDG_STATE_HOME/director`, else `~/.local/state/director`. */
export function resolveStateDir(explicit: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  if (explicit !== undefined) return resolve(cwd, explicit)
  const xdg = env.XDG_STATE_HOME
  // The XDG spec says to ignore a relative path.
  if (xdg !== undefined && xdg.startsWith('/')) return join(xdg, 'director')
  return join(homedir(), '.local', 'state', 'director')
}

export function logFileFor(stateDir: string, port: number): string {
  return join(stateDir, `local-${port}.log`)
}

/** Reads the state file; a missing file is an empty state, a corrupt one a UsageError. */
export function readState(stateDir: string): StateFile {
  const path = join(stateDir, FILE_NAME)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {path, services: []}
    throw new UsageError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }

  try {
    const parsed = JSON.parse(text) as {services?: unknown}
    if (!Array.isArray(parsed.services) || !parsed.services.every((s) => isRecord(s))) throw new Error('bad shape')
    return {path, services: parsed.services}
  } catch {
    throw new UsageError(`${path}: not a director state file; stop the services by hand and delete it`)
  }
}

/**
 * Writes the state atomically (temp file + rename), so that a reader never sees half a
 * file; with no service left the file is removed.
 */
export function writeState(state: StateFile): void {
  if (state.services.length === 0) {
    rmSync(state.path, {force: true})
    return
  }

  mkdirSync(resolve(state.path, '..'), {recursive: true})
  const temporary = `${state.path}.${process.pid}.tmp`
  const services = [...state.services].sort((a, b) => a.port - b.port)
  writeFileSync(temporary, JSON.stringify({version: 1, services}, null, 2) + '\n', {mode: 0o600})
  renameSync(temporary, state.path)
}

/**
 * Read-modify-write of the state file: `change` gets the current records and returns the new
 * ones. Re-reading right before the write keeps what another director process wrote meanwhile.
 */
export function updateState(stateDir: string, change: (services: ServiceRecord[]) => ServiceRecord[]): StateFile {
  const state = readState(stateDir)
  const next = {path: state.path, services: change(state.services)}
  writeState(next)
  return next
}

function isRecord(value: unknown): value is ServiceRecord {
  if (typeof value !== 'object' || value === null) return false
  const r = value as Record<string, unknown>
  return (
    typeof r.port === 'number' &&
    typeof r.host === 'string' &&
    typeof r.pid === 'number' &&
    typeof r.startedAt === 'string' &&
    typeof r.procStartTime === 'string' &&
    typeof r.foreground === 'boolean' &&
    typeof r.logFile === 'string'
  )
}
