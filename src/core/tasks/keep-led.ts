import {setTimeout as sleep} from 'node:timers/promises'

import type {Host} from '../inventory/host.js'
import type {KeepLoopOptions} from './keep-tasks.js'
import type {KeepReport, KeepRequest} from './types.js'

import {messageOf} from '../errors.js'
import {type CoordinationStore, type Fence, NotLeaderError, StoreUnreachableError} from '../store/types.js'
import {readWhenUp} from './keep-store-wait.js'
import {keepLogger, keepTasks} from './keep-tasks.js'
import {projectPrefix, storeTaskRecords} from './task-records.js'

/** How a led keep campaigns: its store, its id, its lease, how long to wait for the store at start. */
export interface LeadOptions {
  store: CoordinationStore
  /** This controller: the machine and the pid (`host:1234`). */
  controllerId: string
  leaseSeconds: number
  /** Give up (StoreUnreachableError) when the store has not answered for this long at start; default: wait. */
  storeTimeoutSeconds?: number | undefined
}

/** `director/<project>/leader`: who leads and since when (the election key says only who). */
export interface LeaderInfo {
  id: string
  since: string
  token: string
}

/** `director/<project>/spec`: what the leader keeps (its count, policy and hooks). */
export interface KeepSpec {
  count: number
  restart: string
  intervalSeconds: number
  hooks: string[]
}

/** `director/<project>/stop`: `keep --stop`'s request, a fresh value each time. */
export const STOP_KEY = 'stop'

/** How often a standby looks at the leader and the stop request. */
const STANDBY_POLL_MS = 500
/** Between two campaigns after one failed (store unreachable). */
const RETRY_MS = 1000

/**
 * `keep` with a store: campaigns for the leadership of the project (an election under
 * `director/<project>/`, on a lease of `leaseSeconds`); while standby, says who leads; once
 * elected, runs keepTasks with the leader's fence before every action and every record write
 * (a transaction on its election key's revision). When the fence fails (lease lost, store
 * unreachable, a stall past the lease) it stops acting, says so, and campaigns again. Ends on
 * the signal or the store's stop request (`keep --stop`), which ends the standbys too.
 */
export async function keepLed(
  hosts: Host[],
  request: KeepRequest,
  options: KeepLoopOptions & LeadOptions,
): Promise<KeepReport> {
  const {store, controllerId, signal} = options
  const log = keepLogger(request.stateDir, request.project, options.onLog)
  const prefix = projectPrefix(request.project)
  const total: KeepReport = {project: request.project, cycles: 0, started: 0, stopped: 0, endedBy: 'signal'}
  // A stop request older than this controller is not for it (read once the store answers).
  const staleStop = await readWhenUp(store, prefix + STOP_KEY, {
    log,
    signal,
    timeoutSeconds: options.storeTimeoutSeconds,
  })
  const stopRequested = async (): Promise<string | undefined> => {
    const now = await store.get(prefix + STOP_KEY)
    return now !== undefined && now !== staleStop ? `stop requested in ${store.endpoint} (${now})` : undefined
  }

  let lastWhy: string | undefined
  let leading = false
  log(`${controllerId} campaigns for ${request.project} on ${store.endpoint} (lease ${options.leaseSeconds} s)`)
  while (!signal.aborted) {
    const campaign = store.campaign(prefix, controllerId, options.leaseSeconds)
    try {
      const context = {store, prefix, project: request.project, signal, log, stopRequested}
      const fence = await standBy(campaign.elected, context)
      if (fence === undefined) break
      if (typeof fence === 'string') {
        log(`${fence}: ending`)
        total.endedBy = 'stop-request'
        break
      }

      leading = true
      lastWhy = undefined
      const since = new Date().toISOString()
      log(`leader: ${request.project} is led by ${controllerId} since ${since} (fencing token ${fence.revision})`)
      await announce(store, {prefix, fence, info: {id: controllerId, since, token: fence.revision}}, request)
      const checkFence = async (): Promise<void> => {
        const failed = campaign.failure()
        if (failed !== undefined) throw new NotLeaderError(`lease lost: ${messageOf(failed)}`)
        await store.check(fence)
      }

      const records = storeTaskRecords(store, () => fence)
      const control = {records, fence: checkFence, stopRequested, endedBy: 'stop-request' as const}
      // Its log's last line says how it ended.
      await keepTasks(hosts, request, {...options, control, log, report: total})
      return total
    } catch (error) {
      if (!(error instanceof NotLeaderError || error instanceof StoreUnreachableError)) throw error
      // Said once per reason: a store that stays down is one line, not one a second.
      const why = messageOf(error)
      if (leading) log(`lost the lead of ${request.project}: ${why}; acting no more, campaigning again`)
      else if (why !== lastWhy)
        log(`campaign for ${request.project} failed: ${why}; trying again every ${RETRY_MS / 1000} s`)
      leading = false
      lastWhy = why
      await sleep(RETRY_MS, undefined, {signal}).catch(() => {})
    } finally {
      await campaign.resign()
    }
  }

  log(`keep ended (${total.endedBy})`)
  return total
}

/**
 * Waits to be elected, saying who leads whenever that changes: the fence once elected, the stop
 * request (what to log), undefined on the signal. A store error while waiting ends the campaign.
 */
async function standBy(
  elected: Promise<Fence>,
  context: {
    store: CoordinationStore
    prefix: string
    project: string
    signal: AbortSignal
    log: (text: string) => void
    stopRequested: () => Promise<string | undefined>
  },
): Promise<Fence | string | undefined> {
  const {log, prefix, signal, store} = context
  let won: Fence | undefined
  let lost: unknown
  elected.then(
    (fence) => {
      won = fence
    },
    (error: unknown) => {
      lost = error
    },
  )
  let shown: string | undefined
  while (!signal.aborted) {
    await Promise.race([elected.catch(() => {}), sleep(STANDBY_POLL_MS, undefined, {signal}).catch(() => {})])
    if (won !== undefined) return won
    if (lost !== undefined) throw lost
    const [leader] = await store.candidates(prefix)
    if (leader !== undefined && leader.value !== shown) {
      shown = leader.value
      const info = parseLeader(await store.get(`${prefix}leader`))
      const since = info?.id === leader.value ? info.since : new Date().toISOString()
      log(`standby: ${context.project} is led by ${leader.value} since ${since}`)
    }

    const stop = await context.stopRequested()
    if (stop !== undefined) return stop
  }

  return undefined
}

function parseLeader(text: string | undefined): LeaderInfo | undefined {
  if (text === undefined) return undefined
  try {
    return JSON.parse(text) as LeaderInfo
  } catch {
    return undefined
  }
}

/** The new leader writes who it is and what it keeps, guarded by its fence. */
async function announce(
  store: CoordinationStore,
  {fence, info, prefix}: {prefix: string; fence: Fence; info: LeaderInfo},
  request: KeepRequest,
): Promise<void> {
  const hooks = Object.entries(request.hooks).flatMap(([name, hook]) => (hook === undefined ? [] : [name]))
  const spec: KeepSpec = {
    count: request.desired.count,
    restart: request.desired.restart,
    intervalSeconds: request.intervalSeconds,
    hooks,
  }
  await store.put(`${prefix}leader`, JSON.stringify(info), fence)
  await store.put(`${prefix}spec`, JSON.stringify(spec), fence)
}
