// `npm run bench -- scale`: director beside pdsh and parallel-ssh over 250 and 1,000 hosts of the
// large fleet (127.0.8.1 ..., 16 addresses per sshd, a user per host), fan-out 64 for all, the same
// key, known_hosts and curve25519. Per size: one unmeasured pass over every host (no tool pays for a
// fleet just started), then DIRECTOR_BENCH_ROUNDS rounds (3) of every tool, each round in another
// order. Per tool, the median of its rounds: wall (with min-max), CPU seconds of the tool's
// processes (user+sys, its children included), peak RSS (the largest), the whole machine's CPU
// seconds during the run (/proc/stat: the hosts' sshds share the same cores) and that per host;
// then director's ratio to the fastest peer, and director at fan-out 256.
// DIRECTOR_BENCH_SCALE=250,1000 picks the sizes.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {type Fleet, startFleet} from '../fixtures/fleet/fleet.js'
import {ensureCommand, median} from './measure.js'

const director = fileURLToPath(new URL('../../bin/run.js', import.meta.url))
const SIZES = (process.env.DIRECTOR_BENCH_SCALE ?? '250,1000').split(',').map(Number)
const ROUNDS = Number(process.env.DIRECTOR_BENCH_ROUNDS ?? 3)
const FAN_OUT = 64
const WIDE_FAN_OUT = 256
const GNU_TIME = '/usr/bin/time'
/** The kernel's clock ticks per second in /proc/stat (USER_HZ, 100 on Linux). */
const USER_HZ = 100

interface Measured {
  tool: string
  hosts: number
  wallS: number
  cpuS: number
  rssMiB: number
  machineCpuS: number
  ok: boolean
  note: string
  stdout: string
}

/** CPU seconds the whole machine spent busy so far (every field of /proc/stat's cpu line but idle and iowait). */
function machineBusySeconds(): number {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number)
  // user nice system idle iowait irq softirq steal: all but idle (3) and iowait (4).
  const busy = fields.slice(0, 8).filter((_, i) => i !== 3 && i !== 4)
  let ticks = 0
  for (const value of busy) ticks += value
  return ticks / USER_HZ
}

/** One run of argv under GNU time; `check` says from its stdout whether every host succeeded. */
interface Command {
  tool: string
  hosts: number
  argv: string[]
  env: NodeJS.ProcessEnv
  /** From its stdout, what went wrong; undefined when every host succeeded. */
  check: (out: string) => string | undefined
}

function measure({argv, check, env, hosts, tool}: Command): Measured {
  const before = machineBusySeconds()
  const started = performance.now()
  const result = spawnSync(GNU_TIME, ['-f', 'director-bench %U %S %M', ...argv], {
    encoding: 'utf8',
    env,
    maxBuffer: 256 * 1024 * 1024,
    timeout: 600_000,
  })
  const wallS = (performance.now() - started) / 1000
  const machineCpuS = machineBusySeconds() - before
  const times = /director-bench ([\d.]+) ([\d.]+) (\d+)/.exec(result.stderr ?? '')
  const problem =
    result.status === 0 ? check(result.stdout ?? '') : `exit ${result.status}: ${lastLines(result.stdout ?? '')}`
  return {
    tool,
    hosts,
    wallS,
    cpuS: times ? Number(times[1]) + Number(times[2]) : Number.NaN,
    rssMiB: times ? Number(times[3]) / 1024 : Number.NaN,
    machineCpuS,
    ok: problem === undefined,
    note: problem ?? '',
    stdout: result.stdout ?? '',
  }
}

/** The end of a tool's output: director's summary line, or the last hosts pssh listed. */
function lastLines(out: string): string {
  return out.trim().split('\n').slice(-2).join(' | ')
}

function expectLine(pattern: RegExp): (out: string) => string | undefined {
  return (out) =>
    pattern.test(out) ? undefined : `no "${pattern.source}" in its output: ${out.split('\n').slice(-3).join(' | ')}`
}

function countLines(pattern: RegExp, hosts: number): (out: string) => string | undefined {
  return (out) => {
    const found = out.split('\n').filter((line) => pattern.test(line)).length
    return found === hosts ? undefined : `${found}/${hosts} hosts answered`
  }
}

function row(m: Measured | Summary): string {
  const perHost = (seconds: number): string => `${((seconds * 1000) / m.hosts).toFixed(1)}`
  const spread = 'wallMinS' in m ? ` (${m.wallMinS.toFixed(1)}-${m.wallMaxS.toFixed(1)})` : ''
  return (
    `${m.tool.padEnd(30)} ${String(m.hosts).padStart(5)}  wall ${m.wallS.toFixed(1).padStart(5)} s${spread}  ` +
    `cpu ${m.cpuS.toFixed(1).padStart(5)} s (${perHost(m.cpuS).padStart(4)} ms/host)  rss ${m.rssMiB.toFixed(0).padStart(4)} MB  ` +
    `machine ${m.machineCpuS.toFixed(1).padStart(5)} s (${perHost(m.machineCpuS).padStart(4)} ms/host)` +
    (m.ok ? '' : `  FAILED: ${m.note}`)
  )
}

/** A tool's figures over its rounds. */
interface Summary extends Measured {
  wallMinS: number
  wallMaxS: number
}

interface Setup {
  fleet: Fleet
  work: string
  sshArgs: string[]
}

function runSize({fleet, sshArgs, work}: Setup, size: number): Summary[] {
  const hosts = fleet.hosts.slice(0, size).map((host) => `${host.user}@${host.address}`)
  const clients = fleet.writeClientsConf(hosts, `bench-scale-${size}.conf`)
  const hostFile = join(work, `hosts-${size}`)
  writeFileSync(hostFile, hosts.join('\n') + '\n')
  const env = {...process.env, ...fleet.env(), DIRECTOR_CLIENTS: clients, NO_COLOR: '1'}
  const out = join(work, 'out')
  const common = [
    '--clients',
    clients,
    '--known-hosts',
    fleet.knownHosts,
    '-i',
    fleet.identity,
    '--host-key-check',
    'strict',
  ]
  const runArgs = (fanOut: number): string[] => [
    process.execPath,
    director,
    'run',
    '-c',
    'true',
    ...common,
    '-f',
    String(fanOut),
    '--out',
    out,
  ]
  const ran = expectLine(new RegExp(`^${size}/${size} hosts ok`, 'm'))
  const status = [process.execPath, director, 'status', '--no-icmp', ...common, '-f', String(FAN_OUT)]
  // -w, not -w ^file: pdsh reads `user@` only from -w, and would log in as -l%u (root) otherwise.
  const pdsh = ['pdsh', '-S', '-R', 'ssh', '-f', String(FAN_OUT), '-w', hosts.join(','), 'true']
  const pssh = ['parallel-ssh', '-h', hostFile, '-p', String(FAN_OUT), '-t', '0', '-x', sshArgs.join(' '), 'true']
  const commands: Array<Omit<Command, 'hosts'>> = [
    {tool: `director run -c true -f ${FAN_OUT}`, argv: runArgs(FAN_OUT), env, check: ran},
    {
      tool: `director status --no-icmp -f ${FAN_OUT}`,
      argv: status,
      env,
      check: expectLine(new RegExp(`^${size}/${size} hosts online`, 'm')),
    },
    // pdsh -S exits with the largest remote status: 0 means every host ran `true`.
    {
      tool: `pdsh -R ssh -f ${FAN_OUT} true`,
      argv: pdsh,
      env: {...env, PDSH_SSH_ARGS: `${sshArgs.join(' ')} -x -a -l%u %h`},
      check: () => undefined,
    },
    {tool: `parallel-ssh -p ${FAN_OUT} true`, argv: pssh, env, check: countLines(/\[SUCCESS\]/, size)},
    {tool: `director run -c true -f ${WIDE_FAN_OUT}`, argv: runArgs(WIDE_FAN_OUT), env, check: ran},
  ]
  const sized = commands.map((command) => ({...command, hosts: size}))
  // Unmeasured, by a peer: the first pass over a fleet just started pays for what later ones find warm.
  const warmUp = sized.find((command) => command.tool.startsWith('parallel-ssh'))
  if (warmUp) measure(warmUp)
  const runs: Measured[][] = sized.map(() => [])
  for (let round = 0; round < ROUNDS; round++) {
    // Each round starts one tool later: none always goes first or always follows the same one.
    for (let step = 0; step < sized.length; step++) {
      const index = (step + round) % sized.length
      const command = sized[index]
      if (command) runs[index]?.push(measure(command))
    }
  }

  rmSync(out, {force: true, recursive: true})
  return runs.map((of) => medianRun(of))
}

/** A tool's rounds as one: the median of each figure (the largest RSS), failed if any round failed. */
function medianRun(runs: Measured[]): Summary {
  const [first] = runs
  if (first === undefined) throw new Error('bench: a tool ran no round')
  const walls = runs.map((m) => m.wallS)
  const failed = runs.find((m) => !m.ok)
  return {
    ...first,
    wallS: median(walls),
    wallMinS: Math.min(...walls),
    wallMaxS: Math.max(...walls),
    cpuS: median(runs.map((m) => m.cpuS)),
    rssMiB: Math.max(...runs.map((m) => m.rssMiB)),
    machineCpuS: median(runs.map((m) => m.machineCpuS)),
    ok: failed === undefined,
    note: failed?.note ?? '',
  }
}

function ratios(results: Measured[]): string[] {
  const peers = results.filter((m) => !m.tool.startsWith('director') && m.ok)
  const fastest = [...peers].sort((a, b) => a.wallS - b.wallS)[0]
  if (fastest === undefined) return ['  no peer finished: no ratio']
  const leastMachine = Math.min(...peers.map((m) => m.machineCpuS))
  return results
    .filter((m) => m.tool.startsWith('director'))
    .map(
      (m) =>
        `  ${m.tool}: wall ${(m.wallS / fastest.wallS).toFixed(2)}x the fastest peer (${fastest.tool}), ` +
        `machine CPU ${(m.machineCpuS / leastMachine).toFixed(2)}x the least peer's`,
    )
}

/**
 * The same fleet with OpenSSH's default MaxStartups (10:30:100: an sshd drops a growing share of
 * handshakes past 10 at once, and here 16 addresses share one sshd): director's jittered retries
 * against parallel-ssh, which does not retry. Counts the hosts each reached.
 */
async function stockMaxStartups(size: number): Promise<string[]> {
  const fleet = await startFleet({hosts: size, large: true, maxStartups: '10:30:100'})
  const work = mkdtempSync(join(tmpdir(), 'director-bench-maxstartups-'))
  try {
    const hosts = fleet.hosts.map((host) => `${host.user}@${host.address}`)
    const hostFile = join(work, 'hosts')
    writeFileSync(hostFile, hosts.join('\n') + '\n')
    const env = {...process.env, ...fleet.env(), NO_COLOR: '1'}
    const out = join(work, 'out')
    const run = [process.execPath, director, 'run', '-c', 'true', '-f', String(FAN_OUT), '--out', out]
    const sshArgs = `-F ${fleet.sshConfig} -o BatchMode=yes -o StrictHostKeyChecking=yes`
    const pssh = ['parallel-ssh', '-h', hostFile, '-p', String(FAN_OUT), '-t', '0', '-x', sshArgs, 'true']
    const results = [
      measure({tool: `director run -c true -f ${FAN_OUT}`, hosts: size, argv: run, env, check: expectLine(/hosts ok/)}),
      measure({tool: `parallel-ssh -p ${FAN_OUT} true`, hosts: size, argv: pssh, env, check: () => undefined}),
    ]
    const [directorRun, peer] = results
    const reached = (m: Measured | undefined, pattern: RegExp): string => {
      const count = m?.stdout.match(pattern)?.length ?? 0
      return `${count}/${size}`
    }

    return [
      `MaxStartups 10:30:100 (OpenSSH's default), ${size} hosts, fan-out ${FAN_OUT}, --retries 2 (default):`,
      ...results.map((m) => row(m)),
      `  hosts reached: director ${/^(\d+)\/\d+ hosts ok/m.exec(directorRun?.stdout ?? '')?.[1] ?? '?'}/${size}, ` +
        `parallel-ssh ${reached(peer, /\[SUCCESS\]/g)}`,
    ]
  } finally {
    await fleet.down()
    rmSync(work, {force: true, recursive: true})
  }
}

/** Brings up a large fleet of the biggest size, times every tool at every size, takes the fleet down. */
export async function benchScale(): Promise<string[]> {
  if (!ensureCommand('pdsh', 'pdsh') || !ensureCommand('parallel-ssh', 'pssh'))
    return ['scale: pdsh or parallel-ssh missing and not installable (needs root and apt-get): skipped']
  const started = performance.now()
  const fleet = await startFleet({hosts: Math.max(...SIZES), large: true})
  const upS = (performance.now() - started) / 1000
  const work = mkdtempSync(join(tmpdir(), 'director-bench-scale-'))
  const sshArgs = [
    '-F',
    fleet.sshConfig,
    '-o',
    'KexAlgorithms=curve25519-sha256',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
  ]
  const lines = [
    `scale: large fleet of ${fleet.hosts.length} hosts (${Math.ceil(fleet.hosts.length / 16)} sshds) up in ${upS.toFixed(1)} s; ` +
      `a warm-up pass, then the median of ${ROUNDS} rounds (wall min-max); cpu = the tool's processes, user+sys with children; ` +
      'machine = /proc/stat busy time during the run',
  ]
  try {
    for (const size of SIZES) {
      const results = runSize({fleet, sshArgs, work}, size)
      lines.push(...results.map((m) => row(m)), ...ratios(results))
    }
  } finally {
    await fleet.down()
    rmSync(work, {force: true, recursive: true})
  }

  lines.push(...(await stockMaxStartups(Math.max(...SIZES))))
  return lines
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await benchScale()) console.log(line)
}
