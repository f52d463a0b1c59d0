/** 1536 -> "1.5 KiB"; binary units, as du and ls -h print them. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }

  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`
}

/** 3725 -> "1h02m", 65 -> "1m05s", 7.5 -> "7.5s". */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?'
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`
}

/** Megabytes (10^6 bytes) per second, as transfer tools print rates. */
export function formatRate(bytes: number, ms: number): string {
  return ms <= 0 ? '-' : `${(bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s`
}

/** 1 -> "1 file", 3 -> "3 files": a count with its noun, singular or plural. */
export function countOf(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`
}
