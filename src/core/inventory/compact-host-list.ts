/** A name split around its last run of digits: `node07-ib` is `node`, `07`, `-ib`. */
const LAST_NUMBER = /^(.*?)(\d+)(\D*)$/

/**
 * Writes host names compactly, the inverse of the inventory's ranges (ClusterShell's NodeSet):
 * `127.0.1.1, 127.0.1.2, 127.0.1.3, 127.0.1.5` is `127.0.1.[1-3,5]`; zero-padded numbers keep
 * their width (`node[01-10]`). Names without a number, and lone names, stay as they are.
 * Groups come in the order of their first name.
 */
export function compactHostList(names: string[]): string {
  const groups = new Map<string, {prefix: string; suffix: string; width: number; numbers: number[]}>()
  const order: Array<string | {key: string}> = []
  const padded = paddedWidths(names)
  for (const name of new Set(names)) {
    const parts = LAST_NUMBER.exec(name)
    if (!parts) {
      order.push(name)
      continue
    }

    const [, prefix = '', digits = '', suffix = ''] = parts
    const base = `${prefix}\0${suffix}`
    const width = isPadded(digits) || padded.get(base)?.has(digits.length) ? digits.length : 0
    const key = `${base}\0${width}`
    const group = groups.get(key)
    if (group) group.numbers.push(Number(digits))
    else {
      groups.set(key, {prefix, suffix, width, numbers: [Number(digits)]})
      order.push({key})
    }
  }

  return order
    .map((item) => {
      if (typeof item === 'string') return item
      const group = groups.get(item.key)
      if (!group) return ''
      const pad = (n: number): string => String(n).padStart(group.width, '0')
      const ranges = toRanges(group.numbers).map(([a, b]) => (a === b ? pad(a) : `${pad(a)}-${pad(b)}`))
      const body = group.numbers.length === 1 ? ranges.join(',') : `[${ranges.join(',')}]`
      return `${group.prefix}${body}${group.suffix}`
    })
    .join(',')
}

function isPadded(digits: string): boolean {
  return digits.length > 1 && digits.startsWith('0')
}

/** Per prefix and suffix, the widths some name writes zero-padded (`node01`: 2). */
function paddedWidths(names: string[]): Map<string, Set<number>> {
  const widths = new Map<string, Set<number>>()
  for (const name of names) {
    const [, prefix = '', digits = '', suffix = ''] = LAST_NUMBER.exec(name) ?? []
    if (!isPadded(digits)) continue
    const base = `${prefix}\0${suffix}`
    const set = widths.get(base) ?? new Set<number>()
    set.add(digits.length)
    widths.set(base, set)
  }

  return widths
}

/** Sorted, de-duplicated numbers as runs of consecutive values. */
function toRanges(numbers: number[]): Array<[number, number]> {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b)
  const ranges: Array<[number, number]> = []
  for (const n of sorted) {
    const last = ranges.at(-1)
    if (last && n === last[1] + 1) last[1] = n
    else ranges.push([n, n])
  }

  return ranges
}
