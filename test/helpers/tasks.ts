import {type ChildProcess, spawn} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import type {Fleet} from '../../fixtures/fleet/fleet.js'
import type {TaskRecord} from '../../src/core/tasks/task-store.js'

import {isSameProcess, readProcStat} from '../../src/core/local/process-info.js'
import {repoRoot} from './paths.js'

/** Alive means signalable and not a zombie (this machine's init does not reap orphans). */
export {isAlive} from './processes.js'

/** The live (non-zombie) processes of process group `pgid` on this machine. */
export function liveGroupMembers(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const text = readFileSync(`/proc/${name}/stat`, 'utf8')
        const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
        return fields[0] !== 'Z' && fields[2] === String(pgid)
      } catch {
        return false
      }
    })
    .map(Number)
}

/** A fleet host named by its index (1-based) or its address (what director's reports call `host`). */
export type HostRef = number | string

/** The index of a fleet host named by index or address; throws when the fleet has no such host. */
export function hostIndex(fleet: Fleet, host: HostRef): number {
  const index = typeof host === 'number' ? host : fleet.hosts.find((h) => h.address === host)?.index
  if (index === undefined) throw new Error(`no host ${host} in the fleet`)
  return index
}

/**
 * The live (non-zombie) processes of process group `pgid` on fleet host `host`, both numbers as the
 * host knows them (director's records): returns their pids on this machine, for process.kill.
 */
export function liveGroupMembersOn(fleet: Fleet, host: HostRef, pgid: number): number[] {
  return fleet
    .processesOn(hostIndex(fleet, host))
    .filter((process) => process.hostPgid === pgid)
    .map((process) => process.pid)
}

/** Is the process that host `host` numbers `pid` alive there (not a zombie)? */
export function isAliveOn(fleet: Fleet, host: HostRef, pid: number): boolean {
  return fleet.isAliveOn(hostIndex(fleet, host), pid)
}

/** The live processes of fleet host `host` whose environment holds `entry` exactly: their pids on this machine. */
export function liveProcessesWithEnvOn(fleet: Fleet, host: HostRef, entry: string): number[] {
  return fleet
    .processesOn(hostIndex(fleet, host))
    .filter((process) => process.environ.includes(entry))
    .map((process) => process.pid)
}

/** The ids of the tasks that have a live process on fleet host `host` (their DIRECTOR_TASK_ID), sorted. */
export function taskIdsOn(fleet: Fleet, host: HostRef): string[] {
  const ids = fleet
    .processesOn(hostIndex(fleet, host))
    .flatMap((process) => process.environ.filter((entry) => entry.startsWith('DIRECTOR_TASK_ID=')))
    .map((entry) => entry.slice('DIRECTOR_TASK_ID='.length))
  return [...new Set(ids)].sort()
}

/**
 * The live (non-zombie) processes on this machine whose environment holds `entry` exactly
 * (`NAME=value`): every process a remote command starts inherits its cookie, forks included.
 */
export function liveProcessesWithEnv(entry: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
        if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false
        return readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(entry)
      } catch {
        return false
      }
    })
    .map(Number)
}

/** A CLI run in the background: what it printed so far, and how it ended. */
export interface BackgroundCli {
  child: ChildProcess
  output: () => string
  /** Its stderr alone (also in output()). */
  stderr: () => string
  exited: Promise<{code: null | number; signal: NodeJS.Signals | null}>
}

/** Starts `bin/run.js` in the background (killed after `timeoutMs` whatever happens). */
export function startCli(args: string[], env: Record<string, string>, timeoutMs = 90_000): BackgroundCli {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), ...args], {
    env: {...process.env, NO_COLOR: '1', ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
  })
  let output = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk
    stderr += chunk
  })
  const exited = new Promise<{code: null | number; signal: NodeJS.Signals | null}>((resolve) => {
    child.on('close', (code, signal) => resolve({code, signal}))
  })
  return {child, output: () => output, stderr: () => stderr, exited}
}

export function readRecords(stateDir: string): TaskRecord[] {
  const text = readFileSync(join(stateDir, 'tasks.jsonl'), 'utf8')
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as TaskRecord)
}

export function writeRecords(stateDir: string, records: TaskRecord[]): void {
  writeFileSync(join(stateDir, 'tasks.jsonl'), records.map((record) => `${JSON.stringify(record)}\n`).join(''))
}

export {waitFor} from './wait.js'

/**
 * The safety net of every task test: SIGKILL to the group of each recorded task whose process
 * is still the one director started (same start time), so a failed test leaves nothing running.
 * Pass the fleet: director records pids as the hosts number them, each host in its own pid
 * namespace; without it, only pids that mean the same here are looked at (none on the fleet).
 */
export function killLeftoverTasks(stateDir: string, homes: string[] = [], fleet?: Fleet): void {
  let records: TaskRecord[] = []
  try {
    records = readRecords(stateDir)
  } catch {
    records = []
  }

  // Also the sandboxes on the hosts' disks: a task whose start was cut short has no local record.
  const onHosts = homes.flatMap((home) =>
    sandboxProcesses(join(home, 'director', 'tasks')).map((found) => ({
      ...found,
      host: fleet?.hosts.find((host) => host.home === home)?.address,
    })),
  )
  for (const {host, pgid, pid, startTime} of [...records, ...onHosts]) {
    const index = fleet && host !== undefined ? fleet.hosts.find((h) => h.address === host)?.index : undefined
    const outer = index === undefined ? (fleet ? undefined : pid) : fleet?.outerPid(index, pid)
    if (outer === undefined || startTime === '' || !isSameProcess(outer, startTime)) continue
    if (readProcStat(outer) === undefined) continue
    // On a host, the group's number is the host's: kill its members one by one, by their pids here.
    const targets = fleet && index !== undefined ? liveGroupMembersOn(fleet, index, pgid) : [-pgid]
    for (const target of targets) {
      try {
        process.kill(target, 'SIGKILL')
      } catch {}
    }
  }
}

/**
 * pid, pgid and start time from each task sandbox under `dir` that has them: the older layout's
 * `dir/<id>/` and the hosts' folders, `dir/<host>/<id>/`.
 */
function sandboxProcesses(dir: string, depth = 0): Array<{pid: number; pgid: number; startTime: string}> {
  let sandboxes: string[]
  try {
    sandboxes = readdirSync(dir)
  } catch {
    return []
  }

  return sandboxes.flatMap((name) => {
    if (depth === 0 && !existsSync(join(dir, name, 'project'))) return sandboxProcesses(join(dir, name), 1)
    try {
      const read = (file: string) => readFileSync(join(dir, name, file), 'utf8').trim()
      return [{pid: Number(read('pid')), pgid: Number(read('pgid')), startTime: read('start_time')}]
    } catch {
      return []
    }
  })
}

/**
 * The live (non-zombie) processes on this machine whose command line is `argv` exactly and that
 * carry `DIRECTOR_PROJECT=<project>` in their environment: a task's command, counted on the
 * hosts themselves, not in director's own words.
 */
export function liveTaskCommands(project: string, argv: string[]): number[] {
  const wanted = `${argv.join('\0')}\0`
  return liveProcessesWithEnv(`DIRECTOR_PROJECT=${project}`).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8') === wanted
    } catch {
      return false
    }
  })
}

/** The process groups of those pids (still alive), each once. */
export function processGroupsOf(pids: number[]): number[] {
  return [
    ...new Set(
      pids.flatMap((pid) => {
        try {
          const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
          return [Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[2])]
        } catch {
          return []
        }
      }),
    ),
  ].sort((a, b) => a - b)
}

/**
 * An ssh_config that makes each of `names` reach one fleet host as its user (same user, same
 * home: a home shared by several hosts, as with NFS), followed by the fleet's own ssh_config.
 * The fleet's known_hosts already holds that address's key.
 */
export function sharedHomeSshConfig(
  fleet: {sshConfig: string; port: number; identity: string; knownHosts: string},
  names: string[],
  host: {address: string; user: string},
): string {
  const base = readFileSync(fleet.sshConfig, 'utf8')
  const block = [
    `Host ${names.join(' ')}`,
    `  HostName ${host.address}`,
    `  User ${host.user}`,
    `  Port ${fleet.port}`,
    `  IdentityFile ${fleet.identity}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${fleet.knownHosts}`,
    '',
  ]
  return `${block.join('\n')}${base}`
}

/**
 * The `after` of a task test file: `stop` (the CLI's `task stop --all`, when given), then whatever
 * it left is killed on the hosts (killLeftoverTasks), the fleet goes down and `folder` is removed.
 */
export async function tearDownTaskFleet(
  fleet: Fleet | undefined,
  {folder, stateDir, stop}: {stateDir: string; folder: string; stop?: () => Promise<unknown>},
): Promise<void> {
  try {
    if (fleet && stop) await stop()
  } finally {
    killLeftoverTasks(
      stateDir,
      fleet?.hosts.map((host) => host.home),
      fleet,
    )
    await fleet?.down()
    rmSync(folder, {recursive: true, force: true})
  }
}
