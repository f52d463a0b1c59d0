import pLimit from 'p-limit'

import {UsageError} from '../errors.js'
import {failure, HostFailure, type HostResult} from '../host-result.js'

export interface FanOutOptions {
  /** Hosts worked on at once. */
  concurrency: number
  /** Ctrl-C: hosts not started yet end as `aborted`, running steps see their signal fire. */
  signal?: AbortSignal | undefined
  /** Per-host deadline for the whole step, from the moment the host's turn starts. */
  timeoutMs?: number | undefined
}

/** A step on one host; its signal fires on the per-host deadline or on Ctrl-C. */
export type HostStep<H, T> = (host: H, signal: AbortSignal) => Promise<T>

/**
 * Runs a step on every host, at most `concurrency` at once, and returns one result per host
 * in the order given, whatever the finish order. A host's failure is a value: a HostFailure
 * thrown by the step becomes `{ok: false, failure}`; the deadline becomes `timeout`.
 * A UsageError is a mistake of the whole command and is rethrown. `onResult` hears each host's
 * result as soon as it is known (for live progress).
 */
export async function runOnHosts<H extends {name: string}, T>(
  hosts: H[],
  options: FanOutOptions,
  step: HostStep<H, T>,
  onResult?: (result: HostResult<T>) => void,
): Promise<Array<HostResult<T>>> {
  const limit = pLimit(options.concurrency)
  return Promise.all(
    hosts.map(async (host) =>
      limit(async () => {
        const result = await runOne(host, options, step)
        onResult?.(result)
        return result
      }),
    ),
  )
}

async function runOne<H extends {name: string}, T>(
  host: H,
  options: FanOutOptions,
  step: HostStep<H, T>,
): Promise<HostResult<T>> {
  const started = performance.now()
  const elapsed = (): number => Math.round(performance.now() - started)
  const deadline = new AbortController()
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          const seconds = (options.timeoutMs ?? 0) / 1000
          deadline.abort(new HostFailure(failure('timeout', `${host.name}: not done within --timeout ${seconds} s`)))
        }, options.timeoutMs)
  const signals = options.signal ? [deadline.signal, options.signal] : [deadline.signal]
  const signal = AbortSignal.any(signals)
  try {
    signal.throwIfAborted()
    const value = await step(host, signal)
    return {host: host.name, ok: true, value, ms: elapsed()}
  } catch (error) {
    if (error instanceof UsageError) throw error
    return {host: host.name, ok: false, failure: toFailure(error, signal), ms: elapsed()}
  } finally {
    clearTimeout(timer)
  }
}

function toFailure(error: unknown, signal: AbortSignal): HostFailure['failure'] {
  if (error instanceof HostFailure) return error.failure
  if (signal.aborted) {
    const {reason} = signal
    return reason instanceof HostFailure ? reason.failure : failure('aborted', 'interrupted')
  }

  const message = error instanceof Error ? error.message : String(error)
  return failure('remote-error', message)
}
