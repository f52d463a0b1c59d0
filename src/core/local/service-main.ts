/**
 * The detached echo service: `node service-main.js --host H --port P`, started by
 * startLocal with stdout and stderr on the port's log file and an IPC channel that
 * carries one {@link ServiceHello} and is then closed by the parent.
 */
import {parseArgs} from 'node:util'

import type {Failure} from '../host-result.js'

import {isFailure, startEchoServer} from './echo-server.js'

/** The one message the service sends its parent: listening, or why not. */
export type ServiceHello = {ok: false; failure: Failure} | {ok: true; pid: number}

const {values} = parseArgs({options: {host: {type: 'string'}, port: {type: 'string'}}})
const host = values.host ?? '127.0.0.1'
const port = Number(values.port)
const log = (line: string): void => {
  process.stdout.write(`${new Date().toISOString()} ${host}:${port} ${line}\n`)
}

const tell = (hello: ServiceHello): void => {
  if (process.send) process.send(hello, () => process.disconnect?.())
}

const server = await startEchoServer({host, port, log})
if (isFailure(server)) {
  log(`not started: ${server.message}`)
  tell({ok: false, failure: server})
  process.exitCode = 1
} else {
  tell({ok: true, pid: process.pid})
  // A plain SIGTERM (shutdown_local's fallback) still closes connections cleanly.
  const stop = (): void => {
    log('SIGTERM received')
    server.close().catch((error: unknown) => log(`close failed: ${String(error)}`))
  }

  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
  await server.closed
  process.removeListener('SIGTERM', stop)
  process.removeListener('SIGINT', stop)
}
