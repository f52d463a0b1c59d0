import {readFileSync} from 'node:fs'

/**
 * Is the process running? Signalable and not a zombie: processes that daemonized are reaped
 * late by PID 1 here, and `kill(pid, 0)` still succeeds on a zombie.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }

  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}
