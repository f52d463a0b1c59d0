import {UsageError} from './errors.js'

const UNITS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000}

/** How a bare number (no unit) is taken. A type, not an interface: it is also an oclif flag's options. */
export type DurationRules = {
  /** A bare number is this many seconds at most; above it, a UsageError says to write the unit. */
  maxBareSeconds?: number | undefined
  /** What the message says a large bare number used to mean, e.g. "milliseconds". */
  formerUnit?: string | undefined
  /** A duration flag takes 0 (`--grace 0`: no wait); others refuse it. */
  allowZero?: boolean | undefined
}

/**
 * The one parser of durations, into milliseconds: `500ms`, `2s`, `1.5m`, `1m30s`, `12h`, `7d`, or
 * a bare number of seconds (`30`). Anything else is a UsageError naming `what` (the flag), in one
 * line. `rules.maxBareSeconds` catches a number written in a unit a flag used to take.
 */
export function parseDuration(text: string, what: string, rules: DurationRules = {}): number {
  const input = text.trim()
  if (/^\d+(\.\d+)?$/.test(input)) {
    const seconds = Number(input)
    if (rules.maxBareSeconds !== undefined && seconds > rules.maxBareSeconds) {
      const was = rules.formerUnit === undefined ? '' : ` (it used to mean ${rules.formerUnit})`
      throw new UsageError(
        `${what}: "${text}" is ${seconds} seconds${was}: write the unit, e.g. ${input}ms or ${seconds / 1000}s`,
      )
    }

    return Math.round(seconds * 1000)
  }

  const parts = [...input.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)]
  const whole = parts.map((part) => part[0]).join('')
  if (input === '' || whole !== input) {
    throw new UsageError(
      `${what}: "${text}" is not a duration (a number and a unit: 500ms, 30s, 1m30s, 12h, 7d; a bare number is seconds)`,
    )
  }

  let ms = 0
  for (const [, value, unit] of parts) ms += Number(value) * (UNITS[unit ?? ''] ?? 0)
  return Math.round(ms)
}
