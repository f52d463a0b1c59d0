import type {FailureKind} from '../../core/host-result.js'

const WORDS: Record<FailureKind, string> = {
  aborted: 'interrupted',
  'address-unavailable': 'address unavailable',
  'auth-failed': 'auth failed',
  'checksum-mismatch': 'failed checksum',
  closed: 'closed',
  conflict: 'name conflict',
  'connection-lost': 'connection lost',
  'disk-full': 'disk full',
  dns: 'unknown host',
  error: 'error',
  'exists-not-dir': 'exists, not a folder',
  'handshake-failed': 'handshake failed',
  'host-key-changed': 'host key changed',
  'host-key-unknown': 'host key unknown',
  'no-identity': 'no key',
  'no-such-path': 'no such path',
  'permission-denied': 'permission denied',
  'ping-failed': 'ping failed',
  'port-in-use': 'port in use',
  protocol: 'protocol error',
  refused: 'refused',
  'remote-error': 'error',
  'spawn-failed': 'spawn failed',
  'still-running': 'still running',
  timeout: 'timeout',
  'unexpected-reply': 'unexpected reply',
  unreachable: 'unreachable',
  unreadable: 'unreadable',
  vanished: 'vanished',
}

/** The few words a failure kind is shown as, e.g. `auth failed`. */
export function failureWords(kind: FailureKind): string {
  return WORDS[kind]
}
