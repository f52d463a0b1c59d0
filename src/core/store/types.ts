import {UsageError} from '../errors.js'

/**
 * A leader's fencing token: its election key and that key's creation revision. A write guarded
 * by it is a transaction that succeeds only while that very key still exists (the lease that
 * holds it is alive), so a deposed leader's writes fail.
 */
export interface Fence {
  key: string
  revision: string
}

/** One key of a prefix, as listed. */
export interface StoreEntry {
  key: string
  value: string
}

/** One candidate of an election, oldest first: the first is the leader. */
export interface Candidate {
  /** What it campaigned with (director's controller id). */
  value: string
  key: string
  /** Seconds its lease has left; -1 when the store did not say. */
  leaseLeft: number
}

/** A bid for leadership, from campaign() until resign(). */
export interface StoreCampaign {
  /** Resolves with the fencing token once elected; rejects when the campaign fails (lease lost, store unreachable). */
  readonly elected: Promise<Fence>
  /** Whether the campaign has failed since (its lease lost): the fence then no longer holds. */
  failure(): Error | undefined
  /** Gives the bid up (revokes its lease: its key goes, a standby is elected); never throws. */
  resign(): Promise<void>
}

/**
 * The coordination store keep and the task commands share: keys and values under prefixes,
 * writes guarded by a leader's fence, and elections (etcd's recipe: the candidate whose key is
 * oldest leads; each key lives as long as its lease). etcd is one backend (etcd-store.ts).
 */
export interface CoordinationStore {
  /** As the user gave it, for messages: `etcd://127.0.0.1:2379`. */
  readonly endpoint: string
  get(key: string): Promise<string | undefined>
  /** Every key under `prefix`, in key order. */
  list(prefix: string): Promise<StoreEntry[]>
  /** Writes `value`; with a fence, only while it holds (else NotLeaderError). */
  put(key: string, value: string, fence?: Fence): Promise<void>
  /** Removes `key`, or every key under it with `prefix`; with a fence, only while it holds. */
  delete(key: string, options?: {prefix?: boolean; fence?: Fence | undefined}): Promise<number>
  /** Resolves while the fence holds; NotLeaderError once it does not. */
  check(fence: Fence): Promise<void>
  /** Campaigns in the election at `prefix` with `value`, on a lease of `ttlSeconds`. */
  campaign(prefix: string, value: string, ttlSeconds: number): StoreCampaign
  /** The candidates of the election at `prefix`, the leader first. */
  candidates(prefix: string): Promise<Candidate[]>
  close(): Promise<void>
}

/** A guarded write or check failed: this controller no longer leads. */
export class NotLeaderError extends Error {
  override readonly name = 'NotLeaderError'
}

/** The store did not answer: a usage error (exit 2) for the commands that need it to start. */
export class StoreUnreachableError extends UsageError {
  constructor(endpoint: string, detail: string) {
    super(`store ${endpoint} unreachable (${detail}): start etcd there or fix --store / $DIRECTOR_STORE`)
  }
}
