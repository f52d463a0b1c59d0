import {setTimeout as sleep} from 'node:timers/promises'

import {type CoordinationStore, StoreUnreachableError} from '../store/types.js'

const RETRY_MS = 1000

/**
 * Reads `key` once the store answers (keep is a supervisor: it does not give up on a store that
 * is down), saying so once; with `timeoutSeconds`, throws the StoreUnreachableError past it.
 * Returns undefined early on the signal.
 */
export async function readWhenUp(
  store: CoordinationStore,
  key: string,
  options: {log: (text: string) => void; signal: AbortSignal; timeoutSeconds?: number | undefined},
): Promise<string | undefined> {
  const deadline = options.timeoutSeconds === undefined ? Infinity : Date.now() + options.timeoutSeconds * 1000
  let said = false
  while (!options.signal.aborted) {
    try {
      const value = await store.get(key)
      if (said) options.log(`store ${store.endpoint} answers`)
      return value
    } catch (error) {
      if (!(error instanceof StoreUnreachableError) || Date.now() >= deadline) throw error
      if (!said) options.log(`${error.message}; waiting for it, retrying every ${RETRY_MS / 1000} s`)
      said = true
    }

    await sleep(RETRY_MS, undefined, {signal: options.signal}).catch(() => {})
  }

  return undefined
}
