/**
 * Why a host (or, in local mode, a port) failed, as one closed set of kinds. The renderer turns a kind into words;
 * the message carries the detail (an errno, the remote stderr, a known_hosts line).
 */
export type FailureKind =
  | 'aborted'
  | 'address-unavailable'
  | 'auth-failed'
  | 'checksum-mismatch'
  | 'closed'
  | 'conflict'
  | 'connection-lost'
  | 'disk-full'
  | 'dns'
  | 'error'
  | 'exists-not-dir'
  | 'handshake-failed'
  | 'host-key-changed'
  | 'host-key-unknown'
  | 'no-identity'
  | 'no-such-path'
  | 'permission-denied'
  | 'ping-failed'
  | 'port-in-use'
  | 'protocol'
  | 'refused'
  | 'remote-error'
  | 'spawn-failed'
  | 'still-running'
  | 'timeout'
  | 'unexpected-reply'
  | 'unreachable'
  | 'unreadable'
  | 'vanished'

export interface Failure {
  kind: FailureKind
  message: string
}

/** The outcome of one step on one host: a value, or a failure. Never an exception. */
export type HostResult<T> =
  {host: string; ok: true; value: T; ms: number} | {host: string; ok: false; failure: Failure; ms: number}

export function failure(kind: FailureKind, message: string): Failure {
  return {kind, message}
}

/** Thrown inside a host's step to end it with a failure of a known kind; caught by the fan-out. */
export class HostFailure extends Error {
  override readonly name = 'HostFailure'
  constructor(readonly failure: Failure) {
    super(failure.message)
  }
}
