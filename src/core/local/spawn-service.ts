import {type ChildProcess, spawn} from 'node:child_process'
import {closeSync, mkdirSync, openSync} from 'node:fs'
import {dirname} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {ServiceHello} from './service-main.js'

import {type Failure} from '../host-result.js'
import {failure} from '../host-result.js'

const SERVICE_MAIN = fileURLToPath(new URL('service-main.js', import.meta.url))

export type SpawnResult = {ok: false; failure: Failure} | {ok: true; pid: number}

/**
 * Starts one detached echo service (it outlives this process) with stdout and stderr on
 * `logFile`, and waits (at most `timeoutMs`) for its hello on the IPC channel: listening,
 * or the classified listen error. A child that neither says hello nor exits in time is
 * killed through its handle, which still is certainly ours.
 */
export async function spawnService(
  host: string,
  port: number,
  logFile: string,
  timeoutMs: number,
): Promise<SpawnResult> {
  mkdirSync(dirname(logFile), {recursive: true})
  const fd = openSync(logFile, 'a', 0o600)
  let child: ChildProcess
  try {
    child = spawn(process.execPath, [SERVICE_MAIN, '--host', host, '--port', String(port)], {
      detached: true,
      stdio: ['ignore', fd, fd, 'ipc'],
    })
  } catch (error) {
    return {ok: false, failure: failure('spawn-failed', `cannot start node: ${String(error)}`)}
  } finally {
    closeSync(fd)
  }

  const result = await new Promise<SpawnResult>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      resolve({
        ok: false,
        failure: failure('timeout', `the service did not start within ${timeoutMs} ms; see ${logFile}`),
      })
    }, timeoutMs)
    const settle = (value: SpawnResult): void => {
      clearTimeout(timer)
      resolve(value)
    }

    child.once('message', (hello: ServiceHello) =>
      settle(hello.ok ? {ok: true, pid: hello.pid} : {ok: false, failure: hello.failure}),
    )
    child.once('error', (error) => settle({ok: false, failure: failure('spawn-failed', error.message)}))
    child.once('exit', (code, signal) =>
      settle({
        ok: false,
        failure: failure(
          'spawn-failed',
          `the service exited (${signal ?? `code ${code}`}) before listening; see ${logFile}`,
        ),
      }),
    )
  })
  if (child.connected) child.disconnect()
  child.unref()
  return result
}
