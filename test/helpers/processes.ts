import {readFileSync} from 'node:fs'

/**
 * Is the process running? Signalable and not a zombie: processes that daemonized are reaped
 * late by PID 1 here, and `kill(pid, 0)` still succeeds on a zombie. For a pid on this machine
 * only: a pid a fleet host reports (`echo $$`, director's task records) is numbered in that host's
 * own pid namespace; ask `fleet.isAliveOn(i, pid)` (or isAliveOn in tasks.ts) about it.
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
