import type {CoordinationStore} from './types.js'

import {openEtcdStore} from './etcd-store.js'
import {parseStoreUrl} from './store-url.js'

/** The store a `--store` URL names (only etcd:// so far); nothing is contacted until the first call. */
export function openStore(url: string): CoordinationStore {
  const {hosts} = parseStoreUrl(url)
  return openEtcdStore(url, hosts)
}
