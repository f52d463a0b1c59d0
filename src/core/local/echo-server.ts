import {createServer, type Socket} from 'node:net'

import {type Failure} from '../host-result.js'
import {LineSplitter} from '../line-splitter.js'
import {classifyListenError} from './local-result.js'

/** The longest message accepted, newline excluded; a longer one closes its connection. */
export const MAX_LINE_BYTES = 64 * 1024

export const NOT_UNDERSTOOD = 'Command not understood by clients.'

/** What the service answers to one message, and whether it then shuts down. */
export function replyTo(message: string, host: string, port: number): {reply: string; shutdown: boolean} {
  switch (message.trim()) {
    case 'mem_stat': {
      return {reply: formatMemory(process.memoryUsage()), shutdown: false}
    }

    case 'ping': {
      return {reply: `Echo sent from ${host}:${port}`, shutdown: false}
    }

    case 'shutdown': {
      return {reply: `Client ${host}:${port} shutting down.`, shutdown: true}
    }

    default: {
      return {reply: NOT_UNDERSTOOD, shutdown: false}
    }
  }
}

export function formatMemory(usage: NodeJS.MemoryUsage): string {
  const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`
  return `Memory use: rss ${mib(usage.rss)}, heap ${mib(usage.heapUsed)} of ${mib(usage.heapTotal)}, external ${mib(usage.external)}`
}

export interface EchoServerOptions {
  host: string
  port: number
  /** Receives one line per notable event (start, refused input, socket errors, shutdown). */
  log?: (line: string) => void
}

export interface EchoServer {
  host: string
  port: number
  /** Resolves once the service has stopped, after a `shutdown` message or {@link EchoServer.close}. */
  closed: Promise<void>
  /** Stops listening and ends every connection; resolves when all are gone. */
  close(): Promise<void>
}

/**
 * Starts the echo service on host:port. Resolves once listening, or with the classified
 * listen failure (EADDRINUSE: "port N is already in use by another process").
 */
export async function startEchoServer(options: EchoServerOptions): Promise<EchoServer | Failure> {
  const {host, port} = options
  const log = options.log ?? ((): void => {})
  const sockets = new Set<Socket>()
  const server = createServer({noDelay: true}, (socket) => serve(socket))
  let closing: Promise<void> | undefined
  let markClosed = (): void => {}
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve
  })

  const close = async (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve())
      for (const socket of sockets) socket.end()
      // A peer that never reads must not hold the shutdown.
      const timer = setTimeout(() => {
        for (const socket of sockets) socket.destroy()
      }, 1000)
      timer.unref()
    }).then(() => {
      log('stopped')
      markClosed()
    })
    return closing
  }

  function serve(socket: Socket): void {
    sockets.add(socket)
    const splitter = new LineSplitter(MAX_LINE_BYTES)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') log(`connection error: ${error.message}`)
    })
    socket.on('data', (chunk: Buffer) => {
      if (closing !== undefined) return
      const {lines, oversize} = splitter.push(chunk)
      const replies: string[] = []
      let shutdown = false
      for (const line of lines) {
        const answer = replyTo(line, host, port)
        replies.push(answer.reply)
        if (answer.shutdown) {
          shutdown = true
          break
        }
      }

      if (oversize && !shutdown) {
        replies.push(`Error: message longer than ${MAX_LINE_BYTES} bytes refused; closing the connection.`)
        log(`refused a message longer than ${MAX_LINE_BYTES} bytes from ${socket.remoteAddress}:${socket.remotePort}`)
      }

      const text = replies.length > 0 ? replies.join('\n') + '\n' : ''
      if (oversize || shutdown) {
        // Half-close: the reply still arrives, what the peer still sends is read and dropped.
        socket.removeAllListeners('data')
        socket.resume()
        socket.end(text)
        setTimeout(() => socket.destroy(), 2000).unref()
        if (shutdown) {
          log(`shutdown requested by ${socket.remoteAddress}:${socket.remotePort}`)
          close().catch((error: unknown) => log(`close failed: ${String(error)}`))
        }

        return
      }

      // Backpressure: a client that sends without reading must not grow our memory.
      if (text !== '' && !socket.write(text)) {
        socket.pause()
        socket.once('drain', () => socket.resume())
      }
    })
  }

  const {failure} = await new Promise<{failure?: Failure}>((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      resolve({failure: classifyListenError(port, error.code, error.message)}),
    )
    server.listen({host, port, exclusive: true}, () => resolve({}))
  })
  if (failure !== undefined) return failure
  server.on('error', (error) => log(`server error: ${error.message}`))
  log(`listening on ${host}:${port} (pid ${process.pid})`)
  return {host, port, closed, close}
}

/** Type guard: did {@link startEchoServer} fail? */
export function isFailure(value: EchoServer | Failure): value is Failure {
  return 'kind' in value
}
