import {UsageError} from './errors.js'

const UNITS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000}

/**
 * The one parser of durations: a number and a unit, `500ms`, `2s`, `1.5m`, `12h`, `7d`, into
 * milliseconds. Anything else is a UsageError naming `what` (the flag), in one line.
 */
export function parseDuration(text: string, what: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim())
  const unit = match?.[2] === undefined ? undefined : UNITS[match[2]]
  if (match === null || unit === undefined)
    throw new UsageError(`${what}: "${text}" is not a duration (a number and a unit: 500ms, 30s, 10m, 12h, 7d)`)
  return Math.round(Number(match[1]) * unit)
}
