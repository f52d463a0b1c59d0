import {mkdirSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'

import type {CoordinationStore} from '../store/types.js'

import {UsageError} from '../errors.js'
import {checkFolderName} from '../remote/remote-path.js'
import {type KeepSpec, type LeaderInfo, STOP_KEY} from './keep-led.js'
import {stopFileOf} from './keep-tasks.js'
import {parseStored, projectPrefix} from './task-records.js'

/** One project as `director state` shows it. */
export interface ProjectState {
  project: string
  leader: {id: string; since: string | null; leaseLeft: number} | null
  standbys: Array<{id: string; leaseLeft: number}>
  /** What the leader keeps (from the store), or null before any keep led. */
  desired: KeepSpec | null
  tasks: Array<{id: string; host: string; state: string}>
  /** A pending `keep --stop` request, or null. */
  stopRequest: string | null
}

/** What `director state` reports. */
export interface StateReport {
  store: string
  projects: ProjectState[]
}

/** What `director state clear` reports. */
export interface ClearReport {
  store: string
  project: string
  removed: number
  /** The leader whose lease was still held (cleared anyway with --force), or null. */
  forcedLeader: string | null
}

/** What `keep --stop` did: a request in the store, or the stop file. */
export interface KeepStopReport {
  project: string
  via: 'stop-file' | 'store'
  where: string
}

function parse<T>(text: string | undefined): T | null {
  if (text === undefined) return null
  try {
    return JSON.parse(text) as T
  } catch {
    return null
  }
}

/** Every project with keys under `director/` (or only `project`), with its leader, standbys, spec and tasks. */
export async function readKeepState(store: CoordinationStore, project?: string): Promise<StateReport> {
  const entries = await store.list(project === undefined ? 'director/' : projectPrefix(project))
  const names = [...new Set(entries.map((entry) => entry.key.split('/')[1] ?? ''))].filter((name) => name !== '')
  const projects = await Promise.all(
    names.sort().map(async (name): Promise<ProjectState> => {
      const prefix = projectPrefix(name)
      const mine = entries.filter((entry) => entry.key.startsWith(prefix))
      const value = (key: string): string | undefined => mine.find((entry) => entry.key === prefix + key)?.value
      const [first, ...rest] = await store.candidates(prefix)
      const info = parse<LeaderInfo>(value('leader'))
      const tasks = mine
        .filter((entry) => entry.key.startsWith(`${prefix}tasks/`))
        .flatMap((entry) => parseStored(entry.value))
        .map((record) => ({id: record.id, host: record.host, state: record.state}))
      return {
        project: name,
        leader:
          first === undefined
            ? null
            : {id: first.value, since: info?.id === first.value ? info.since : null, leaseLeft: first.leaseLeft},
        standbys: rest.map((candidate) => ({id: candidate.value, leaseLeft: candidate.leaseLeft})),
        desired: parse<KeepSpec>(value('spec')),
        tasks,
        stopRequest: value(STOP_KEY) ?? null,
      }
    }),
  )
  return {store: store.endpoint, projects}
}

/**
 * Removes every key of the project from the store (never a task on a host). Refused while a
 * controller holds the lease of its election, unless `force`.
 */
export async function clearKeepState(store: CoordinationStore, project: string, force: boolean): Promise<ClearReport> {
  checkFolderName(project, 'project name')
  const prefix = projectPrefix(project)
  const [leader] = await store.candidates(prefix)
  if (leader !== undefined && !force)
    throw new UsageError(
      `${project} is led by ${leader.value} (lease ${leader.leaseLeft} s left): end it first (director keep --stop --project ${project}) or pass --force`,
    )
  const removed = await store.delete(prefix, {prefix: true})
  return {store: store.endpoint, project, removed, forcedLeader: leader?.value ?? null}
}

/**
 * Asks every keep of the project to end: with a store, a fresh stop request there (the leader
 * and every standby end); without, the stop file in the project's state folder.
 */
export async function requestKeepStop(
  store: CoordinationStore | undefined,
  request: {stateDir: string; project: string; by: string},
): Promise<KeepStopReport> {
  const {project} = request
  checkFolderName(project, 'project name')
  if (store === undefined) {
    const stopFile = stopFileOf(request.stateDir, project)
    mkdirSync(dirname(stopFile), {recursive: true})
    writeFileSync(stopFile, '')
    return {project, via: 'stop-file', where: stopFile}
  }

  await store.put(projectPrefix(project) + STOP_KEY, `${new Date().toISOString()} by ${request.by}`)
  return {project, via: 'store', where: `${store.endpoint} ${projectPrefix(project)}${STOP_KEY}`}
}
