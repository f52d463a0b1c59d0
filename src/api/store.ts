import type {CoordinationStore} from '../core/store/types.js'

import {UsageError} from '../core/errors.js'
import {openStore} from '../core/store/open-store.js'

/** What every command that may use a store takes. */
export interface StoreOptions {
  /** The coordination store, `etcd://host:port[,host:port...]` (`--store`, $DIRECTOR_STORE); default none (local state). */
  store?: string | undefined
}

/** Runs `work` with the store the URL names (closed after, whatever happens); no URL is a UsageError. */
export async function withRequiredStore<T>(
  url: string | undefined,
  work: (store: CoordinationStore) => Promise<T>,
): Promise<T> {
  if (url === undefined || url === '')
    throw new UsageError('no store: give --store etcd://host:port (or set $DIRECTOR_STORE)')
  const store = openStore(url)
  try {
    return await work(store)
  } finally {
    await store.close()
  }
}

/** Runs `work` with the store the URL names, or with none when there is no URL. */
export async function withStore<T>(
  url: string | undefined,
  work: (store: CoordinationStore | undefined) => Promise<T>,
): Promise<T> {
  return url === undefined || url === '' ? work(undefined) : withRequiredStore(url, work)
}
