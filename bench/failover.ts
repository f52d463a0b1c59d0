// Controller failover under `keep 4 --store ... --lease 5 --interval 1`, two controllers on a real
// etcd and a fleet of 3 hosts, median of 5 rounds. Each round SIGKILLs the leader (and one task):
//  - failover: the kill -> the new leader's first reconcile action (its `keep 4 of project` line);
//  - recovery: the kill -> 4 task processes live again on the hosts (the killed task replaced).
// A fresh standby joins after each round, so there is always one to take over.
// Run alone with `node dist/bench/failover.js`, or by `npm run bench -- failover`.
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {hostname, tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {startEtcd} from '../fixtures/etcd/etcd.js'
import {type Fleet, startFleet} from '../fixtures/fleet/fleet.js'
import {killLeftoverTasks, waitFor} from '../test/helpers/tasks.js'
import {median} from './measure.js'

const ROUNDS = 5
const LEASE = 5
const INTERVAL = 1
const COUNT = 4
const director = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

interface Controller {
  pid: number
  output: () => string
  kill: () => void
  ended: Promise<void>
}

function liveTasks(fleet: Fleet, project: string): Array<{id: string; pids: number[]}> {
  return fleet.hosts.flatMap((host) => {
    const byId = new Map<string, number[]>()
    for (const process_ of fleet.processesOn(host.index)) {
      if (!process_.environ.includes(`DIRECTOR_PROJECT=${project}`)) continue
      const id = process_.environ.find((entry) => entry.startsWith('DIRECTOR_TASK_ID='))
      if (id !== undefined) byId.set(id, [...(byId.get(id) ?? []), process_.pid])
    }

    return [...byId].map(([id, pids]) => ({id, pids}))
  })
}

export async function benchFailover(): Promise<string[]> {
  const etcd = await startEtcd()
  const fleet = await startFleet({hosts: 3})
  const folder = mkdtempSync(join(tmpdir(), 'director-bench-failover-'))
  const env = {...process.env, ...fleet.env(), NO_COLOR: '1'}
  const controllers: Controller[] = []
  const launch = (name: string): Controller => {
    const args = ['keep', String(COUNT), '-c', 'sleep 600', '--project', 'fb', '--store', etcd.url]
    const flags = ['--lease', String(LEASE), '--interval', String(INTERVAL), '--state-dir', join(folder, name)]
    const child = spawn(process.execPath, [director, ...args, ...flags], {env, stdio: ['ignore', 'pipe', 'pipe']})
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
    })
    child.stderr.resume()
    const ended = new Promise<void>((resolve) => {
      child.once('close', () => resolve())
    })
    const controller = {pid: child.pid ?? 0, output: () => output, kill: () => child.kill('SIGKILL'), ended}
    controllers.push(controller)
    return controller
  }

  const leads = (controller: Controller): boolean =>
    new RegExp(`is led by ${hostname()}:${controller.pid} since[^\\n]*\\n[^\\n]*keep ${COUNT} of project`).test(
      controller.output(),
    )
  try {
    let leader = launch('c0')
    if (!(await waitFor(() => leads(leader), 30_000))) throw new Error(`no leader: ${leader.output()}`)
    let standby = launch('c1')
    const failovers: number[] = []
    const recoveries: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      const steady = await waitFor(
        () => liveTasks(fleet, 'fb').length === COUNT && standby.output().includes('standby: fb is led by'),
        30_000,
      )
      if (!steady) throw new Error(`round ${round}: not at ${COUNT} tasks with a standby`)
      const [victim] = liveTasks(fleet, 'fb')
      const killedAt = performance.now()
      leader.kill()
      for (const pid of victim?.pids ?? []) process.kill(pid, 'SIGKILL')
      const gone = victim?.id
      const since = async (check: () => boolean, what: string): Promise<number> => {
        if (!(await waitFor(check, 60_000, 20))) throw new Error(`round ${round}: ${what} did not happen in 60 s`)
        return performance.now() - killedAt
      }

      const [tookOver, recovered] = await Promise.all([
        since(() => leads(standby), 'the standby leading'),
        since(() => {
          const live = liveTasks(fleet, 'fb')
          return live.length === COUNT && !live.some((task) => task.id === gone)
        }, `${COUNT} live tasks again`),
      ])
      failovers.push(tookOver)
      recoveries.push(recovered)
      await leader.ended
      leader = standby
      standby = launch(`c${round + 2}`)
    }

    return [
      `keep ${COUNT} --lease ${LEASE} --interval ${INTERVAL}, 2 controllers, ${ROUNDS} rounds (target: failover <= ${(LEASE + INTERVAL + 1) * 1000} ms)`,
      `leader SIGKILL -> new leader's first reconcile: median ${Math.round(median(failovers))} ms (runs: ${failovers.map((ms) => Math.round(ms)).join(', ')})`,
      `leader and a task SIGKILL -> ${COUNT} live again: median ${Math.round(median(recoveries))} ms (runs: ${recoveries.map((ms) => Math.round(ms)).join(', ')})`,
    ]
  } finally {
    for (const controller of controllers) controller.kill()
    await Promise.all(controllers.map(async (controller) => controller.ended))
    killLeftoverTasks(
      join(folder, 'none'),
      fleet.hosts.map((host) => host.home),
      fleet,
    )
    await fleet.down()
    await etcd.down()
    rmSync(folder, {recursive: true, force: true})
  }
}
