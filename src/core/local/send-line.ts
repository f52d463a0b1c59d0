import {connect} from 'node:net'

import {type Failure} from '../host-result.js'
import {failure} from '../host-result.js'

export type LineReply = {ok: false; failure: Failure; ms: number} | {ok: true; reply: string; ms: number}

/** Where to connect to reach a service bound to `host`: a wildcard address means this machine. */
export function connectHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1'
  if (host === '::') return '::1'
  return host
}

export interface SendLineOptions {
  host: string
  port: number
  line: string
  timeoutMs: number
  signal?: AbortSignal | undefined
}

/**
 * Connects to host:port, sends one line and reads one line back, all within `timeoutMs`.
 * Never throws: refused, timeout, a connection closed before the reply, and other socket
 * errors come back as failures. `ms` is the round trip from connect to reply.
 */
export async function sendLine({host, port, line, timeoutMs, signal}: SendLineOptions): Promise<LineReply> {
  const started = performance.now()
  const ms = (): number => Math.round((performance.now() - started) * 100) / 100
  return new Promise<LineReply>((resolve) => {
    const socket = connect({host: connectHost(host), port, noDelay: true})
    let received = ''
    const finish = (result: LineReply): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      socket.destroy()
      resolve(result)
    }

    const fail = (failure: Failure): void => finish({ok: false, failure, ms: ms()})
    const onAbort = (): void => fail(failure('aborted', 'interrupted'))
    const timer = setTimeout(() => fail(failure('timeout', `no reply within ${timeoutMs} ms`)), timeoutMs)
    signal?.addEventListener('abort', onAbort, {once: true})
    if (signal?.aborted) onAbort()
    socket.setEncoding('utf8')
    socket.on('connect', () => socket.write(line + '\n'))
    socket.on('data', (chunk: string) => {
      received += chunk
      const nl = received.indexOf('\n')
      if (nl !== -1) finish({ok: true, reply: received.slice(0, nl), ms: ms()})
    })
    socket.on('end', () => fail(failure('closed', 'the connection was closed before a reply')))
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') fail(failure('refused', 'connection refused: nothing listens there'))
      else if (error.code === 'ECONNRESET') fail(failure('closed', 'the connection was reset before a reply'))
      else fail(failure('error', `${error.code ?? 'error'}: ${error.message}`))
    })
  })
}

export type PingReply = LineReply

/** Sends `ping`; anything but `Echo sent from ...` means another program holds the port. */
export async function pingService(
  host: string,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<PingReply> {
  const answer = await sendLine({host, port, line: 'ping', timeoutMs, signal})
  if (answer.ok && !answer.reply.startsWith('Echo sent from ')) {
    return {
      ok: false,
      failure: failure('unexpected-reply', `unexpected reply "${answer.reply.slice(0, 80)}"`),
      ms: answer.ms,
    }
  }

  return answer
}
