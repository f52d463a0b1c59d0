import {UsageError} from '../errors.js'

/** `etcd://host:port[,host:port...]` as the etcd client's hosts (`host:port` each); a UsageError otherwise. */
export function parseStoreUrl(url: string): {kind: 'etcd'; hosts: string[]} {
  const match = /^etcd:\/\/(.+)$/.exec(url.trim())
  const example = 'e.g. etcd://127.0.0.1:2379,10.0.0.2:2379'
  if (match === null) throw new UsageError(`--store ${url}: give etcd://host:port[,host:port...] (${example})`)
  const hosts = (match[1] ?? '').split(',').map((part) => part.trim())
  for (const host of hosts) {
    const port = /^(?:\[[\da-f:.]+\]|[\w.-]+):(\d{1,5})$/i.exec(host)?.[1]
    if (port === undefined || Number(port) < 1 || Number(port) > 65_535)
      throw new UsageError(`--store ${url}: "${host}" is not host:port (${example})`)
  }

  return {kind: 'etcd', hosts}
}
