import type {KnownHostsIndex} from './known-hosts-index.js'

import {hostToken, type KnownHostEntry} from './known-hosts.js'

export type HostKeyCheck = 'accept-new' | 'off' | 'strict'

export type HostKeyDecision =
  | {verdict: 'known'; entry: KnownHostEntry}
  | {verdict: 'record'}
  | {verdict: 'skip'}
  | {verdict: 'changed'; entry: KnownHostEntry; message: string}
  | {verdict: 'unknown'; message: string}

export interface HostAddress {
  host: string
  port: number
}

export interface PresentedKey {
  type: string
  /** Base64 of the key blob. */
  key: string
}

/**
 * Decides what to do with the key a host presented, as OpenSSH does: a matching known key
 * is accepted; a revoked key, or a different key of the same type, is always refused (unless
 * the check is off); an unknown host is recorded under accept-new and refused under strict.
 */
export function decideHostKey(
  known: KnownHostsIndex,
  {host, port}: HostAddress,
  presented: PresentedKey,
  check: HostKeyCheck,
): HostKeyDecision {
  if (check === 'off') return {verdict: 'skip'}
  const token = hostToken(host, port)
  const revoked = known.revoked(presented.key)
  if (revoked) {
    return {
      verdict: 'changed',
      entry: revoked,
      message: `host key of ${token} is revoked (${revoked.file}:${revoked.line})`,
    }
  }

  const mine = known.matching(host, port)
  const same = mine.find((entry) => entry.key === presented.key)
  if (same) return {verdict: 'known', entry: same}
  const other = mine.find((entry) => entry.keyType === presented.type) ?? mine[0]
  if (other) {
    return {
      verdict: 'changed',
      entry: other,
      message:
        `host key of ${token} changed: the ${presented.type} key it presents differs from ${other.file}:${other.line}; ` +
        `if the host was reinstalled, remove that line (ssh-keygen -R '${token}' -f ${other.file})`,
    }
  }

  if (check === 'strict') {
    return {
      verdict: 'unknown',
      message: `${token} is not in known_hosts (strict checking): add its key (ssh-keyscan) or use --host-key-check accept-new`,
    }
  }

  return {verdict: 'record'}
}

/** The host key algorithms to offer, known types first, as OpenSSH orders them for a known host. */
export function preferredHostKeyAlgorithms<T extends string>(known: KnownHostEntry[], all: T[]): T[] {
  const knownTypes = new Set(known.flatMap((entry) => algorithmsForKeyType(entry.keyType)))
  return [
    ...all.filter((algorithm) => knownTypes.has(algorithm)),
    ...all.filter((algorithm) => !knownTypes.has(algorithm)),
  ]
}

function algorithmsForKeyType(keyType: string): string[] {
  return keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [keyType]
}
