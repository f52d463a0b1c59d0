import {randomBytes} from 'node:crypto'

/** A run id: `2026-11-23T15-50-01.123Z-4f2a9c`. Sorts by start time; the suffix keeps two runs apart. */
export function makeRunId(now: Date = new Date(), suffix: string = randomBytes(3).toString('hex')): string {
  return `${now.toISOString().replaceAll(':', '-')}-${suffix}`
}

const RUN_ID = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-[\da-f]+$/

/** True for a folder name makeRunId could have made. */
export function isRunId(name: string): boolean {
  return RUN_ID.test(name)
}
