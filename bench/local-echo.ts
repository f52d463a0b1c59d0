/**
 * Local-mode benchmark: one detached echo service, 50 concurrent clients, each sending
 * `ping` and waiting for the reply before the next (so every sample is one round trip).
 * Run alone with `node dist/bench/local-echo.js`; `benchLocalEcho()` returns the lines.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {createServer, Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {isSameProcess, readProcStat, waitForExit} from '../src/core/local/process-info.js'
import {sendLine} from '../src/core/local/send-line.js'
import {spawnService} from '../src/core/local/spawn-service.js'

const CLIENTS = 50
const MESSAGES_PER_CLIENT = 400
const TIMEOUT_MS = 30_000

export async function benchLocalEcho(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'director-bench-'))
  const port = await freePort()
  const spawned = await spawnService('127.0.0.1', port, join(dir, 'echo.log'), 10_000)
  if (!spawned.ok) throw new Error(`bench: the service did not start: ${spawned.failure.message}`)
  const startTime = readProcStat(spawned.pid)?.startTime ?? ''
  try {
    const sockets = await Promise.all(Array.from({length: CLIENTS}, async () => connected(port)))
    const started = performance.now()
    const samples = (await Promise.all(sockets.map(async (socket) => pingLoop(socket, MESSAGES_PER_CLIENT)))).flat()
    const seconds = (performance.now() - started) / 1000
    for (const socket of sockets) socket.destroy()
    samples.sort((a, b) => a - b)
    const at = (q: number): number =>
      samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? Number.NaN
    return [
      `local echo: 1 service, ${CLIENTS} concurrent clients x ${MESSAGES_PER_CLIENT} pings (request/reply), ${samples.length} round trips`,
      `local echo: round trip p50 ${at(0.5).toFixed(3)} ms, p99 ${at(0.99).toFixed(3)} ms, max ${at(1).toFixed(3)} ms`,
      `local echo: ${Math.round(samples.length / seconds)} messages/s (${seconds.toFixed(2)} s)`,
    ]
  } finally {
    await sendLine({host: '127.0.0.1', port, line: 'shutdown', timeoutMs: 2000})
    if (!(await waitForExit(spawned.pid, startTime, 5000)) && isSameProcess(spawned.pid, startTime)) {
      process.kill(spawned.pid, 'SIGTERM')
    }

    rmSync(dir, {recursive: true, force: true})
  }
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  await new Promise((resolve) => {
    server.close(resolve)
  })
  if (address === null || typeof address === 'string') throw new Error('bench: no free port')
  return address.port
}

async function connected(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket()
    socket.setNoDelay(true)
    socket.once('error', reject)
    socket.connect(port, '127.0.0.1', () => resolve(socket))
  })
}

/** `count` sequential pings on one connection; the round-trip time of each, in ms. */
async function pingLoop(socket: Socket, count: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const samples: number[] = []
    let pending = ''
    let sentAt = 0
    const timer = setTimeout(() => reject(new Error('bench: timed out')), TIMEOUT_MS)
    const send = (): void => {
      sentAt = performance.now()
      socket.write('ping\n')
    }

    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      pending += chunk
      for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n')) {
        const reply = pending.slice(0, nl)
        pending = pending.slice(nl + 1)
        if (!reply.startsWith('Echo sent from ')) {
          clearTimeout(timer)
          reject(new Error(`bench: unexpected reply "${reply}"`))
          return
        }

        samples.push(performance.now() - sentAt)
        if (samples.length === count) {
          clearTimeout(timer)
          resolve(samples)
          return
        }

        send()
      }
    })
    socket.once('error', reject)
    send()
  })
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await benchLocalEcho()) process.stdout.write(line + '\n')
}
