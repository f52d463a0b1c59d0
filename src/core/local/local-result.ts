/**
 * Why a port failed, as a closed set of kinds; the renderer turns a kind into words and
 * the message carries the detail (an errno, the reply received, a pid).
 */
export type LocalFailureKind =
  | 'aborted'
  | 'address-unavailable'
  | 'closed'
  | 'error'
  | 'permission-denied'
  | 'port-in-use'
  | 'refused'
  | 'spawn-failed'
  | 'still-running'
  | 'timeout'
  | 'unexpected-reply'

export interface LocalFailure {
  kind: LocalFailureKind
  message: string
}

/** The outcome on one port: the success fields, or a failure. Never an exception. */
export type PortResult<T extends object> =
  (T & {port: number; ok: true}) | {port: number; ok: false; failure: LocalFailure}

export function localFailure(kind: LocalFailureKind, message: string): LocalFailure {
  return {kind, message}
}

/** Classifies a listen error (EADDRINUSE and friends) on `port`. */
export function classifyListenError(port: number, code: string | undefined, detail: string): LocalFailure {
  switch (code) {
    case 'EACCES': {
      return localFailure('permission-denied', `not allowed to listen on port ${port} (${detail})`)
    }

    case 'EADDRINUSE': {
      return localFailure('port-in-use', `port ${port} is already in use by another process`)
    }

    case 'EADDRNOTAVAIL': {
      return localFailure('address-unavailable', `cannot listen on this address: it is not local (${detail})`)
    }

    default: {
      return localFailure('error', `cannot listen on port ${port}: ${detail}`)
    }
  }
}
