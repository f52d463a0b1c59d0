import {UsageError} from './errors.js'

const UNITS: Record<string, number> = {B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4}

/**
 * The one parser of sizes, into bytes: a number and a binary unit, `512M`, `8G`, `1.5GiB`,
 * `64KiB`, `2T`, `4096B` (`B` and `iB` suffixes optional, any case). A bare number is refused (is
 * `--mem 512` bytes or MiB?), as is anything else, with a UsageError naming `what` in one line.
 */
export function parseSize(text: string, what: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(B|[KMGT](?:i?B)?)$/i.exec(text.trim())
  if (match === null) throw new UsageError(`${what}: "${text}" is not a size (a number and a unit: 512M, 8G, 1.5GiB)`)
  const [, value = '', unit = ''] = match
  return Math.round(Number(value) * (UNITS[unit.charAt(0).toUpperCase()] ?? 1))
}

/** The one formatter of sizes: 1536 -> "1.5 KiB"; binary units, as du and ls -h print them. */
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
