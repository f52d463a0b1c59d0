import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type Server, Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {isAlive} from './processes.js'
import {waitFor} from './wait.js'

/** The CLI runner every e2e test uses. */
export {runCli} from './cli.js'

/** Free ports, ascending, found by binding port 0 on 127.0.0.1 (all held at once, so they differ). */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = []
  try {
    const ports: number[] = []
    for (let i = 0; i < count; i++) {
      const server = createServer()
      servers.push(server)
      await new Promise<void>((resolve) => {
        server.listen(0, '127.0.0.1', () => resolve())
      })
      const address = server.address()
      if (address === null || typeof address === 'string') throw new Error('no port')
      ports.push(address.port)
    }

    return ports.sort((a, b) => a - b)
  } finally {
    await Promise.all(
      servers.map(
        async (s) =>
          new Promise((resolve) => {
            s.close(resolve)
          }),
      ),
    )
  }
}

/** A fresh folder with a port.conf listing `ports` and a state dir; `cleanup` also kills what the state file still records. */
export function makeSandbox(ports: number[]): {dir: string; portsFile: string; stateDir: string; cleanup: () => void} {
  const dir = mkdtempSync(join(tmpdir(), 'director-local-'))
  const portsFile = join(dir, 'port.conf')
  writeFileSync(portsFile, `# test ports\n${ports.join('\n')}\n`)
  const stateDir = join(dir, 'state')
  const cleanup = (): void => {
    killRecorded(stateDir)
    rmSync(dir, {recursive: true, force: true})
  }

  return {dir, portsFile, stateDir, cleanup}
}

/** Is the process running (a zombie is not)? */
export {isAlive as isRunning} from './processes.js'

/** Kills pids the test started, if still there (cleanup in `after`/finally). */
export function killAll(pids: Iterable<number>): void {
  for (const pid of pids) {
    if (isAlive(pid)) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
  }
}

/**
 * Safety net for `after`: kills the services still recorded in a test's state dir, but only
 * processes whose command line is our service entry point (never a reused pid).
 */
export function killRecorded(stateDir: string): void {
  let pids: number[]
  try {
    const state = JSON.parse(readFileSync(join(stateDir, 'local-services.json'), 'utf8')) as {
      services: Array<{pid: number}>
    }
    pids = state.services.map((s) => s.pid)
  } catch {
    return
  }

  killAll(
    pids.filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('service-main.js')
      } catch {
        return false
      }
    }),
  )
}

/** Polls every 20 ms (see waitFor), for the fast local services. */
export async function waitUntil(check: () => boolean, timeoutMs = 5000): Promise<boolean> {
  return waitFor(check, timeoutMs, 20)
}

/**
 * One connection that sends `data` (all at once, or in the given pieces) and collects the
 * reply lines until `expected` lines arrived, the peer closed, or `timeoutMs` passed.
 */
export async function converse(
  port: number,
  pieces: Array<Buffer | string>,
  expected: number,
  timeoutMs = 10_000,
): Promise<{lines: string[]; closed: boolean}> {
  return new Promise((resolve, reject) => {
    const socket = new Socket()
    let text = ''
    let closed = false
    const done = (): void => {
      clearTimeout(timer)
      socket.destroy()
      const lines = text.split('\n')
      lines.pop()
      resolve({lines, closed})
    }

    const timer = setTimeout(done, timeoutMs)
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      text += chunk
      if (text.split('\n').length - 1 >= expected) done()
    })
    socket.on('end', () => {
      closed = true
      done()
    })
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') {
        closed = true
        done()
      } else reject(error)
    })
    socket.connect(port, '127.0.0.1', async () => {
      for (const piece of pieces) {
        socket.write(piece)
        if (pieces.length > 1)
          await new Promise((r) => {
            setTimeout(r, 5)
          })
      }
    })
  })
}
