import {execFile} from 'node:child_process'
import {accessSync, constants} from 'node:fs'
import {delimiter, join} from 'node:path'

import {parsePingOutput, type PingOutcome} from './parse-ping-output.js'

/** Two packets 0.2 s apart, 1 s for the last reply: a host that answers takes ~0.2 s. */
export const PING_ARGS = ['-n', '-c', '2', '-i', '0.2', '-W', '1']

/** The system `ping` on PATH, or undefined when there is none. */
export function findPing(path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue
    const candidate = join(dir, 'ping')
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not in this folder
    }
  }

  return undefined
}

/** Sends two ICMP echo requests with the system ping. Bounded: killed after 5 s. */
export async function icmpPing(ping: string, address: string, signal?: AbortSignal): Promise<PingOutcome> {
  return new Promise((resolve) => {
    execFile(ping, [...PING_ARGS, address], {timeout: 5000, signal}, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ABORT_ERR') {
        resolve({state: 'error', message: 'interrupted'})
        return
      }

      resolve(parsePingOutput(stdout, stderr))
    })
  })
}
