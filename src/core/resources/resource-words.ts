import {UsageError} from '../errors.js'
import {formatBytes, parseSize} from '../size.js'

/**
 * Cpus and memory (bytes): what a host has (declared, as a Mesos agent's `--resources`) or what
 * a task asks for (`--cpus`, `--mem`). A key left out is not declared, or not asked for.
 */
export interface Resources {
  cpus?: number | undefined
  mem?: number | undefined
}

/** Throws the mistake (the caller adds where it was). */
export type Fail = (message: string) => never

const throwUsage: Fail = (message) => {
  throw new UsageError(message)
}

/** A number of cpus: above 0, fractions allowed (`0.5`, `2`). */
export function parseCpus(text: string, what: string, fail: Fail = throwUsage): number {
  const value = Number(text)
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(value > 0))
    fail(`${what}: "${text}" is not a number of cpus (above 0; fractions allowed: 0.5, 2)`)
  return value
}

/**
 * `cpus=4 mem=8GiB`: the words of a resources file, of an inventory line after the host, and of
 * a task sandbox's `resources`. Each key once; sizes as parseSize takes them (`mem=512MiB`).
 */
export function parseResourceWords(text: string, fail: Fail = throwUsage): Resources {
  const resources: Resources = {}
  for (const word of text
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '')) {
    const equals = word.indexOf('=')
    const key = equals === -1 ? word : word.slice(0, equals)
    const value = word.slice(equals + 1)
    if (equals === -1 || (key !== 'cpus' && key !== 'mem'))
      fail(`"${word}" is not a resource: write cpus=N and mem=SIZE, e.g. "cpus=4 mem=8GiB"`)
    if (resources[key] !== undefined) fail(`${key} is given twice`)
    if (key === 'cpus') resources.cpus = parseCpus(value, 'cpus', fail)
    else {
      try {
        resources.mem = parseSize(value, 'mem')
      } catch (error) {
        fail((error as Error).message)
      }
    }
  }

  return resources
}

/** Resources as the words parseResourceWords reads back: `cpus=1.5 mem=1073741824B`. */
export function formatResourceWords(resources: Resources): string {
  const words = []
  if (resources.cpus !== undefined) words.push(`cpus=${resources.cpus}`)
  if (resources.mem !== undefined) words.push(`mem=${resources.mem}B`)
  return words.join(' ')
}

/** For people: `1.5 cpus, 4.0 GiB` (only the keys given); `-` for none. */
export function describeResources(resources: Resources): string {
  const parts = []
  if (resources.cpus !== undefined) parts.push(`${resources.cpus} ${resources.cpus === 1 ? 'cpu' : 'cpus'}`)
  if (resources.mem !== undefined) parts.push(formatBytes(resources.mem))
  return parts.length === 0 ? '-' : parts.join(', ')
}

/** True when neither cpus nor mem is asked for: placement is by count alone. */
export function isEmptyRequest(resources: Resources | undefined): boolean {
  return resources === undefined || (resources.cpus === undefined && resources.mem === undefined)
}

/**
 * The library's `cpus`/`mem` options as a request: cpus above 0 (fractions allowed), mem in
 * bytes or as a size (`'4G'`). A mistake is a UsageError naming the option.
 */
export function resourceRequest(options: {cpus?: number | undefined; mem?: number | string | undefined}): Resources {
  const {cpus, mem} = options
  if (cpus !== undefined && !(Number.isFinite(cpus) && cpus > 0))
    throw new UsageError(`--cpus: ${cpus} is not a number of cpus (above 0; fractions allowed: 0.5, 2)`)
  if (typeof mem === 'number' && !(Number.isSafeInteger(mem) && mem > 0))
    throw new UsageError(`--mem: ${mem} is not a number of bytes above 0 (or give a size: 512M, 8G)`)
  const bytes = typeof mem === 'string' ? parseSize(mem, '--mem') : mem
  if (bytes === 0) throw new UsageError(`--mem: "${mem}" is no memory at all: give a size above 0, e.g. 512M`)
  return {...(cpus === undefined ? {} : {cpus}), ...(bytes === undefined ? {} : {mem: bytes})}
}
