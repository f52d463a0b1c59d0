import {IDENTITY_FUNCTIONS, PROC_FUNCTIONS} from '../remote/proc-shell.js'
import {remoteShellWord} from '../remote/remote-path.js'
import {hostTasksDir} from '../remote/tasks-layout.js'
import {parseResourceWords, type Resources} from './resource-words.js'

/** What one host said about itself in the probe's one exec; null: it could not say (no /proc, no nproc). */
export interface HostFacts {
  /** Online cpus (`nproc`). */
  cpus: number | null
  /** 1-minute load average (`/proc/loadavg`). */
  load: number | null
  /** Bytes (`/proc/meminfo` MemTotal, MemAvailable). */
  memTotal: number | null
  memAvailable: number | null
  /** Bytes free for an ordinary user under the remote root (`df -P -k`). */
  diskFree: number | null
  /** `<remote-root>/resources`, as declared there (empty when there is no such file). */
  declared: Resources
  /** Why that file was not taken, when it was there but wrong. */
  declaredProblem: string | null
  /** What the host's live tasks asked for, summed: their sandboxes' `resources` files. */
  reserved: {cpus: number; mem: number; tasks: number}
}

const MARK = '@@director-resources'

/**
 * The probe, ONE exec: a section per fact, each the raw output of its command (`nproc`, `cat
 * /proc/loadavg`, `cat /proc/meminfo`, `df -P -k` of the remote root or its nearest existing
 * parent), then the resources file and, per live task of this host (pid alive, not a zombie,
 * same start time, owner this machine and boot), its id and its `resources` words. A command
 * that fails leaves its section empty: the fact is n/a, never an error.
 */
export function resourceProbeScript(remoteRoot: string, host: string): string {
  return [
    PROC_FUNCTIONS,
    IDENTITY_FUNCTIONS,
    `root=${remoteShellWord(remoteRoot)}`,
    `mine=${remoteShellWord(hostTasksDir(remoteRoot, host))}`,
    `echo ${MARK}`,
    'echo @@nproc; nproc 2>/dev/null',
    'echo @@loadavg; cat /proc/loadavg 2>/dev/null',
    'echo @@meminfo; cat /proc/meminfo 2>/dev/null',
    'd=$root; while [ ! -e "$d" ] && [ "$d" != / ]; do d=$(dirname -- "$d"); done',
    'echo @@df; df -P -k -- "$d" 2>/dev/null',
    'echo @@declared; [ -f "$root/resources" ] && cat -- "$root/resources" 2>/dev/null',
    'echo @@reserved',
    'read_identity',
    'for t in "$mine"/t-*; do',
    '  [ -f "$t/resources" ] || continue',
    '  p=; s=; { IFS= read -r p < "$t/pid"; IFS= read -r s < "$t/start_time"; } 2>/dev/null',
    '  [ -n "$p" ] && stat_of "$p" && [ "$st" != Z ] && [ "$sp" = "$s" ] || continue',
    '  read_owner "$t" && [ "$o_machine" = "$me_m" ] && [ "$o_boot" = "$me_b" ] || continue',
    `  r=; { IFS= read -r r < "$t/resources"; } 2>/dev/null; printf '%s %s\\n' "\${t##*/}" "$r"`,
    'done',
    'echo @@end',
    'exit 0',
  ].join('\n')
}

/** Splits the probe's output into its sections (what a chatty login shell printed first is dropped). */
function sections(text: string): Map<string, string[]> {
  const found = new Map<string, string[]>()
  const lines = text.split('\n')
  let current: string[] | undefined
  for (const line of lines.slice(lines.indexOf(MARK) + 1)) {
    if (line.startsWith('@@')) found.set(line.slice(2), (current = []))
    else current?.push(line)
  }

  return found
}

/** Parses resourceProbeScript's output; a section missing or unreadable is a null fact. */
export function parseResourceProbe(text: string): HostFacts {
  const parts = sections(text)
  const part = (name: string): string => (parts.get(name) ?? []).join('\n')
  const mem = parseMeminfo(part('meminfo'))
  const {declared, problem} = readDeclared(part('declared'))
  return {
    cpus: parseNproc(part('nproc')),
    load: parseLoadavg(part('loadavg')),
    memTotal: mem.total,
    memAvailable: mem.available,
    diskFree: parseDfAvailable(part('df')),
    declared,
    declaredProblem: problem,
    reserved: sumReserved(parts.get('reserved') ?? []),
  }
}

/** `nproc`'s output: a whole number above 0. */
export function parseNproc(text: string): number | null {
  const value = text.trim()
  return /^[1-9]\d*$/.test(value) ? Number(value) : null
}

/** `/proc/loadavg`: its first field, the 1-minute load. */
export function parseLoadavg(text: string): number | null {
  const first = text.trim().split(/\s+/)[0] ?? ''
  return /^\d+(\.\d+)?$/.test(first) ? Number(first) : null
}

/** `/proc/meminfo`: MemTotal and MemAvailable (kB there), in bytes; MemAvailable is absent before Linux 3.14. */
export function parseMeminfo(text: string): {total: number | null; available: number | null} {
  const field = (name: string): number | null => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(text)
    return match === null ? null : Number(match[1]) * 1024
  }

  return {total: field('MemTotal'), available: field('MemAvailable')}
}

/** `df -P -k PATH`: the Available column of its one data line, in bytes (the mount point may hold spaces). */
export function parseDfAvailable(text: string): number | null {
  const lines = text.split('\n').filter((line) => line.trim() !== '')
  const match = /^.*?\s+\d+\s+\d+\s+(\d+)\s+\d+%\s+\S.*$/.exec(lines[1] ?? '')
  return match === null ? null : Number(match[1]) * 1024
}

/** The resources file: its words (`#` comments and blank lines ignored); a mistake is reported, not thrown. */
function readDeclared(text: string): {declared: Resources; problem: string | null} {
  const words = text
    .split('\n')
    .map((line) => line.replace(/#.*/, ''))
    .join(' ')
  try {
    return {declared: parseResourceWords(words), problem: null}
  } catch (error) {
    return {declared: {}, problem: (error as Error).message}
  }
}

/** `<task id> cpus=1 mem=...B` per live task; a line that does not parse counts for nothing. */
function sumReserved(lines: string[]): HostFacts['reserved'] {
  const reserved = {cpus: 0, mem: 0, tasks: 0}
  for (const line of lines) {
    const space = line.indexOf(' ')
    if (!line.startsWith('t-') || space === -1) continue
    try {
      const asked = parseResourceWords(line.slice(space + 1))
      reserved.cpus += asked.cpus ?? 0
      reserved.mem += asked.mem ?? 0
      reserved.tasks += 1
    } catch {}
  }

  return reserved
}
