import type {RemoteCommand} from '../ssh/session.js'

/** What watchSignal needs from streamExec's options. */
export interface StopOptions {
  signal: AbortSignal
  stop: () => Promise<void>
  graceMs?: number
}

/**
 * On the signal: `stop` (the kill), then, if the channel still has not closed (a dead
 * connection, an escaped daemon holding stdout), close it, then destroy it. Returns the unwatch.
 */
export function watchSignal(remote: RemoteCommand, options: StopOptions): () => void {
  const timers: NodeJS.Timeout[] = []
  let done = false
  const giveUp = (): void => {
    if (done) return
    const grace = options.graceMs ?? 5000
    timers.push(
      setTimeout(() => remote.close(), grace),
      setTimeout(() => remote.destroy(), grace + 2000),
    )
  }

  const onAbort = (): void => {
    options.stop().then(giveUp, giveUp)
  }

  options.signal.addEventListener('abort', onAbort, {once: true})
  if (options.signal.aborted) onAbort()
  return () => {
    done = true
    options.signal.removeEventListener('abort', onAbort)
    for (const timer of timers) clearTimeout(timer)
  }
}

/** Resolves with `ready`, or rejects as soon as the signal fires. */
export async function untilAborted(ready: Promise<unknown> | undefined, signal: AbortSignal): Promise<unknown> {
  if (ready === undefined) return
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, {once: true})
    ready.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
