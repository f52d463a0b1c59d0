import {failure, type Failure} from '../host-result.js'

/** The outcome on one port: the success fields, or a failure. Never an exception. */
export type PortResult<T extends object> = (T & {port: number; ok: true}) | {port: number; ok: false; failure: Failure}

/** Classifies a listen error (EADDRINUSE and friends) on `port`. */
export function classifyListenError(port: number, code: string | undefined, detail: string): Failure {
  switch (code) {
    case 'EACCES': {
      return failure('permission-denied', `not allowed to listen on port ${port} (${detail})`)
    }

    case 'EADDRINUSE': {
      return failure('port-in-use', `port ${port} is already in use by another process`)
    }

    case 'EADDRNOTAVAIL': {
      return failure('address-unavailable', `cannot listen on this address: it is not local (${detail})`)
    }

    default: {
      return failure('error', `cannot listen on port ${port}: ${detail}`)
    }
  }
}
