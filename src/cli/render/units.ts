/** Sizes have one formatter, in the core (keep's log lines use it too). */
export {formatBytes} from '../../core/size.js'

/**
 * The one formatter of durations (milliseconds): 850 -> "850ms", 7500 -> "7.5s", 65000 ->
 * "1m05s", 3725000 -> "1h02m", 273600000 -> "3d04h"; "?" for an unknown (infinite) one.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?'
  if (ms < 1000) return `${Math.round(ms)}ms`
  const seconds = ms / 1000
  if (seconds < 10) return `${seconds.toFixed(1)}s`
  const s = Math.round(seconds)
  const pad = (n: number): string => String(n).padStart(2, '0')
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`
  if (s < 86_400) return `${Math.floor(s / 3600)}h${pad(Math.floor(s / 60) % 60)}m`
  return `${Math.floor(s / 86_400)}d${pad(Math.floor(s / 3600) % 24)}h`
}

/** Megabytes (10^6 bytes) per second, as transfer tools print rates. */
export function formatRate(bytes: number, ms: number): string {
  return ms <= 0 ? '-' : `${(bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s`
}

/** 1 -> "1 file", 3 -> "3 files": a count with its noun, singular or plural. */
export function countOf(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`
}
