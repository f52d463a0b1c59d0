import {readFileSync} from 'node:fs'

/** The fields of /proc/<pid>/stat that tell one process from a later one with the same pid. */
export interface ProcStat {
  /** Field 3: R, S, D, Z (zombie), ... */
  state: string
  /** Field 22: start time in clock ticks since boot, kept as text (it can exceed 2^53 in theory). */
  startTime: string
}

/**
 * Parses /proc/<pid>/stat. The command name (field 2) is in parentheses and may itself hold
 * spaces and parentheses, so fields are counted from the last `)`.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')')
  if (close === -1) return undefined
  const fields = text
    .slice(close + 1)
    .trim()
    .split(/\s+/)
  // fields[0] is field 3 (state), so field 22 is fields[19].
  const state = fields[0]
  const startTime = fields[19]
  if (state === undefined || startTime === undefined || !/^\d+$/.test(startTime)) return undefined
  return {state, startTime}
}

/** Reads /proc/<pid>/stat; undefined when there is no such process (or no /proc). */
export function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return undefined
  }
}

/**
 * Is `pid` still the process we started? It must exist, not be a zombie, and have the
 * start time we recorded, so that a pid reused by another program is never taken for ours.
 */
export function isSameProcess(pid: number, startTime: string): boolean {
  const stat = readProcStat(pid)
  return stat !== undefined && stat.state !== 'Z' && stat.startTime === startTime
}

/** Waits (polling, bounded by `timeoutMs`) until `pid` is no longer the recorded process. */
export async function waitForExit(pid: number, startTime: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (isSameProcess(pid, startTime)) {
    if (Date.now() >= deadline) return false
    await new Promise((resolve) => {
      setTimeout(resolve, 25)
    })
  }

  return true
}
