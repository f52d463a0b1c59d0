import {randomBytes} from 'node:crypto'

/**
 * A task id: `t-20261123155001-4f2a` (UTC start second, then 4 hex digits). Short enough to
 * type, sorts by start time, and the suffix keeps tasks started in the same second apart.
 */
export function makeTaskId(now: Date = new Date(), suffix: string = randomBytes(2).toString('hex')): string {
  const stamp = now.toISOString().replaceAll(/\D/g, '').slice(0, 14)
  return `t-${stamp}-${suffix}`
}

const TASK_ID = /^t-\d{14}-[\da-f]{4}$/

/** True for a name makeTaskId could have made (and so a safe folder name). */
export function isTaskId(name: string): boolean {
  return TASK_ID.test(name)
}
