import {type Failure, failure} from '../host-result.js'

/** What went wrong while connecting, as far as the error itself tells. */
export interface ConnectErrorContext {
  /** How far the connection got: TCP connect, SSH handshake (banner, kex), or authentication. */
  stage: 'auth' | 'handshake' | 'tcp'
  target: string
  timeoutSeconds: number
}

/** Errors worth another try: the host dropped the connection before the SSH handshake finished. */
export function isTransientHandshakeError(
  error: Error & {code?: string},
  stage: ConnectErrorContext['stage'],
): boolean {
  if (stage === 'auth') return false
  return (
    /connection lost before handshake/i.test(error.message) ||
    (stage === 'handshake' && (error.code === 'ECONNRESET' || error.code === 'EPIPE'))
  )
}

/** Turns an error from net/ssh2 into a failure kind with a message that says what to do. */
export function classifySshError(
  error: Error & {code?: string; level?: string},
  context: ConnectErrorContext,
): Failure {
  const {target} = context
  switch (error.code) {
    case 'ECONNREFUSED': {
      return failure('refused', `connection refused by ${target}: is sshd running on that port?`)
    }

    case 'EHOSTUNREACH':
    case 'ENETUNREACH': {
      return failure('unreachable', `${target} is unreachable (${error.code})`)
    }

    case 'ENOTFOUND':
    case 'EAI_AGAIN': {
      return failure(
        'dns',
        `cannot resolve ${target.replace(/:\d+$/, '')} (${error.code}): check the name or ssh_config HostName`,
      )
    }

    case 'ETIMEDOUT': {
      return failure('timeout', `TCP connect to ${target} timed out`)
    }

    default: {
      break
    }
  }

  if (error.level === 'client-authentication' || /all configured authentication methods failed/i.test(error.message)) {
    return failure('auth-failed', `${target} rejected our key (publickey): check authorized_keys there, or --identity`)
  }

  if (isTransientHandshakeError(error, context.stage)) {
    return failure('handshake-failed', `${target} dropped the connection before the SSH handshake (sshd MaxStartups?)`)
  }

  if (error.code === 'ECONNRESET')
    return failure('handshake-failed', `${target} reset the connection during ${context.stage}`)
  return failure('protocol', `${target}: ${error.message}`)
}

/** RFC 4254's reason of a channel open failure that the host's policy refused (AllowTcpForwarding, PermitOpen). */
const ADMINISTRATIVELY_PROHIBITED = 1

/**
 * Turns a bastion's refusal to open a channel to a target (ssh2's `(SSH) Channel open failure:
 * <the bastion's reason>`) into the failure of that target, naming the bastion.
 */
export function classifyForwardError(
  error: Error & {reason?: number | string},
  bastion: string,
  target: string,
): Failure {
  const reason = error.message.replace(/^\(SSH\) Channel open failure: */, '')
  const via = `bastion ${bastion}`
  if (error.reason === ADMINISTRATIVELY_PROHIBITED)
    return failure('refused', `${via} does not forward to ${target} (AllowTcpForwarding or PermitOpen on ${bastion})`)
  if (/refused/i.test(reason))
    return failure('refused', `${via}: connection refused by ${target}: is sshd running on that port?`)
  if (/timed out/i.test(reason)) return failure('timeout', `${via}: TCP connect to ${target} timed out`)
  if (/unreachable|no route/i.test(reason))
    return failure('unreachable', `${via}: ${target} is unreachable (${reason})`)
  if (/unknown host|not known|resolve/i.test(reason))
    return failure('dns', `${via} cannot resolve ${target.replace(/:\d+$/, '')} (${reason})`)
  return failure('protocol', `${via} cannot open a connection to ${target}: ${reason || 'no reason given'}`)
}

/** `address:port` as messages name a target, with an IPv6 address in brackets. */
export function targetOf(host: {address: string; port: number}): string {
  return host.address.includes(':') ? `[${host.address}]:${host.port}` : `${host.address}:${host.port}`
}
