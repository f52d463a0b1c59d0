import assert from 'node:assert/strict'
// `keep --store` with a real etcd (fixtures/etcd, on 127.0.0.1, free ports) and a real fleet of
// 3 sshd hosts: controllers of one project elect exactly one leader; a standby takes over when the
// leader is SIGKILLed, a leader stalled past its lease (SIGSTOP) stands down when it resumes, and
// etcd down for longer than the lease duplicates nothing. Tasks are counted on the hosts (their
// live processes' DIRECTOR_TASK_ID), never in director's words. Each controller has its own state
// dir, as on its own machine; each test its own project, and leaves no task or controller running.
import {mkdtempSync} from 'node:fs'
import {hostname, tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {setTimeout as sleep} from 'node:timers/promises'

import type {StateReport} from '../../src/core/tasks/keep-state.js'
import type {TaskListReport} from '../../src/core/tasks/types.js'

import {type Etcd, startEtcd} from '../../fixtures/etcd/etcd.js'
import {type Fleet, startFleet} from '../../fixtures/fleet/fleet.js'
import {runCli, runCliJson} from '../helpers/cli.js'
import {type BackgroundCli, startCli, tearDownTaskFleet, waitFor} from '../helpers/tasks.js'

const LEASE = 3
const INTERVAL = 1

describe('keep with a store: leader election over a real etcd and a fleet of 3 hosts', () => {
  let current: Fleet | undefined
  let etcd: Etcd | undefined
  const folder = mkdtempSync(join(tmpdir(), 'director-keep-store-e2e-'))
  const controllers: BackgroundCli[] = []
  const fleet = (): Fleet => current ?? assert.fail('the fleet did not start')
  const store = (): string => etcd?.url ?? assert.fail('etcd did not start')
  const env = (): Record<string, string> => ({...fleet().env(), NO_COLOR: '1'})
  const stateDir = (name: string): string => join(folder, name)

  /** The ids of the project's tasks with a live process on the hosts, one entry per host that runs it. */
  const liveIds = (project: string): string[] =>
    fleet()
      .hosts.flatMap((host) => {
        const ids = fleet()
          .processesOn(host.index)
          .filter((process) => process.environ.includes(`DIRECTOR_PROJECT=${project}`))
          .flatMap((process) => process.environ.filter((entry) => entry.startsWith('DIRECTOR_TASK_ID=')))
          .map((entry) => entry.slice('DIRECTOR_TASK_ID='.length))
        return [...new Set(ids)]
      })
      .sort()

  const keep = (project: string, name: string, count = 4): BackgroundCli => {
    const args = ['keep', String(count), '-c', 'sleep 300', '--project', project, '--store', store()]
    const cli = startCli(
      [...args, '--lease', String(LEASE), '--interval', String(INTERVAL), '--state-dir', stateDir(name)],
      env(),
      150_000,
    )
    controllers.push(cli)
    return cli
  }

  const idOf = (cli: BackgroundCli): string => `${hostname()}:${cli.child.pid}`
  const leads = (cli: BackgroundCli): boolean => cli.output().includes(`is led by ${idOf(cli)} since`)
  const starts = (clis: BackgroundCli[]): number =>
    clis.reduce((sum, cli) => sum + (cli.output().match(/ start t-/g)?.length ?? 0), 0)
  const stopProject = async (project: string): Promise<void> => {
    await runCli(['task', 'stop', '--project', project, '--grace', '1', '--store', store()], {env: env()})
  }

  /** Samples the hosts every 200 ms for `ms`: each time, exactly `ids` live, each on one host. */
  const holdsSteady = async (project: string, ids: string[], ms: number): Promise<string[]> => {
    const deviations: string[] = []
    for (const deadline = Date.now() + ms; Date.now() < deadline;) {
      const live = liveIds(project)
      if (live.join(',') !== ids.join(',')) deviations.push(live.join(','))
      await sleep(200)
    }

    return deviations
  }

  const fourLive = async (project: string): Promise<string[]> => {
    assert.ok(await waitFor(() => liveIds(project).length === 4, 30_000), `4 tasks of ${project}: ${liveIds(project)}`)
    // Settled: the leader has no fifth start in flight.
    await sleep(1500)
    const ids = liveIds(project)
    assert.equal(ids.length, 4, `still 4: ${ids}`)
    assert.equal(new Set(ids).size, 4, 'each task on one host only')
    return ids
  }

  before(async () => {
    etcd = await startEtcd()
    current = await startFleet({hosts: 3})
  })

  after(async () => {
    for (const cli of controllers) cli.child.kill('SIGKILL')
    await Promise.all(controllers.map(async (cli) => cli.exited))
    await etcd?.down()
    await tearDownTaskFleet(current, {stateDir: stateDir('none'), folder})
  })

  test('two keep 4 on one project: one leads; SIGKILL it and the standby leads, with the same 4 tasks', async () => {
    const a = keep('fo', 'a')
    assert.ok(await waitFor(() => leads(a), 20_000), a.output())
    const b = keep('fo', 'b')
    try {
      assert.ok(await waitFor(() => b.output().includes(`standby: fo is led by ${idOf(a)} since`), 20_000), b.output())
      const ids = await fourLive('fo')
      assert.equal(leads(b), false, 'exactly one leads')
      const state = await runCliJson<StateReport>(['state', '--store', store(), '--project', 'fo'], {env: env()})
      const [fo] = state.json.projects
      assert.equal(fo?.leader?.id, idOf(a))
      assert.deepEqual(
        fo.standbys.map((s) => s.id),
        [idOf(b)],
      )
      assert.equal(fo.desired?.count, 4)
      assert.deepEqual(fo.tasks.map((t) => t.id).sort(), ids)

      a.child.kill('SIGKILL')
      assert.ok(await waitFor(() => leads(b), (LEASE + INTERVAL + 2) * 1000, 100), b.output())
      // Adopted, not restarted: the same 4 tasks at every sample, none started by the new leader.
      assert.deepEqual(await holdsSteady('fo', ids, (LEASE + INTERVAL + 2) * 1000), [], b.output())
      assert.equal(starts([a, b]), 4, `${a.output()}\n${b.output()}`)
      assert.match(b.output(), /keep 4 of project fo/)
      // SIGTERM ends the new leader as it ends keep without a store: 143, nothing on stderr.
      b.child.kill('SIGTERM')
      const ended = await Promise.race([b.exited, sleep(15_000, 'still running 15 s after SIGTERM')])
      assert.deepEqual(ended, {code: 143, signal: null}, b.output())
      assert.equal(b.stderr(), '')
    } finally {
      for (const cli of [a, b]) cli.child.kill('SIGKILL')
      await stopProject('fo')
    }

    assert.deepEqual(liveIds('fo'), [], 'no task of fo left on any host')
  })

  test('three controllers: exactly one leads; stalled past its lease (SIGSTOP), it stands down on SIGCONT', async () => {
    const first = keep('dp', 'a')
    assert.ok(await waitFor(() => leads(first), 20_000), first.output())
    const others = [keep('dp', 'b'), keep('dp', 'c')]
    const all = [first, ...others]
    try {
      assert.ok(await waitFor(() => others.every((cli) => cli.output().includes('standby: dp is led by')), 20_000))
      const ids = await fourLive('dp')
      assert.deepEqual(
        all.map((cli) => leads(cli)),
        [true, false, false],
      )

      first.child.kill('SIGSTOP')
      const next = await waitFor(() => others.some((cli) => leads(cli)), (LEASE + INTERVAL + 2) * 1000, 100)
      assert.ok(next, others.map((cli) => cli.output()).join('\n'))
      assert.equal(others.filter((cli) => leads(cli)).length, 1, 'one new leader')
      await sleep(LEASE * 1000)
      first.child.kill('SIGCONT')
      const stoodDown = await waitFor(() => /lost the lead of dp/.test(first.output()), 15_000)
      assert.ok(stoodDown, first.output())
      assert.ok(
        await waitFor(() => /lost the lead of dp[^\n]*\n[^\n]*standby: dp is led by/.test(first.output()), 10_000),
      )
      assert.deepEqual(await holdsSteady('dp', ids, 3000), [], first.output())
      assert.equal(starts(all), 4, all.map((cli) => cli.output()).join('\n'))
    } finally {
      for (const cli of all) cli.child.kill('SIGKILL')
      await stopProject('dp')
    }

    assert.deepEqual(liveIds('dp'), [], 'no task of dp left on any host')
  })

  test('etcd down longer than the lease, then up: nothing duplicated, the loop resumes', async () => {
    const a = keep('od', 'a')
    const b = keep('od', 'b')
    const both = [a, b]
    try {
      const ids = await fourLive('od')
      await etcd?.stop()
      // The tasks go on running on the hosts while nobody leads.
      assert.deepEqual(await holdsSteady('od', ids, (LEASE + 2) * 1000), [])
      assert.ok(both.every((cli) => /not leading|lost the lead|campaign for od failed/.test(cli.output())))
      const before = both.map((cli) => cli.output().length)
      await etcd?.start()
      const led = await waitFor(
        () =>
          both.some((cli, i) =>
            cli
              .output()
              .slice(before[i])
              .includes(`is led by ${idOf(cli)} since`),
          ),
        (LEASE * 2 + INTERVAL + 10) * 1000,
      )
      assert.ok(led, both.map((cli) => cli.output()).join('\n'))
      assert.deepEqual(await holdsSteady('od', ids, 3000), [])
      assert.equal(starts(both), 4)
      // The loop runs again: a task killed on its host is replaced.
      const [victim] = ids
      const host = fleet().hosts.find((h) =>
        fleet()
          .processesOn(h.index)
          .some((p) => p.environ.includes(`DIRECTOR_TASK_ID=${victim}`)),
      )
      assert.ok(host)
      for (const process_ of fleet().processesOn(host.index))
        if (process_.environ.includes(`DIRECTOR_TASK_ID=${victim}`)) process.kill(process_.pid, 'SIGKILL')
      const replaced = await waitFor(() => liveIds('od').length === 4 && !liveIds('od').includes(victim ?? ''), 15_000)
      assert.ok(replaced, both.map((cli) => cli.output()).join('\n'))
      assert.deepEqual(
        both.map((cli) => cli.stderr()),
        ['', ''],
        'the outage is told in words, no stack trace',
      )
      // Its start is logged once the host confirmed its pid, just after it shows up there.
      assert.ok(await waitFor(() => starts(both) === 5, 5000), both.map((cli) => cli.output()).join('\n'))
      assert.equal(liveIds('od').length, 4)
    } finally {
      for (const cli of both) cli.child.kill('SIGKILL')
      await stopProject('od')
    }

    assert.deepEqual(liveIds('od'), [], 'no task of od left on any host')
  })

  test('state, state clear (refused while led, --force) and keep --stop ending leader and standby', async () => {
    const a = keep('st', 'a', 2)
    assert.ok(await waitFor(() => leads(a), 20_000), a.output())
    const b = keep('st', 'b', 2)
    try {
      assert.ok(await waitFor(() => b.output().includes('standby: st is led by'), 20_000), b.output())
      assert.ok(await waitFor(() => liveIds('st').length === 2, 20_000))
      const text = await runCli(['state', '--store', store()], {env: env()})
      assert.equal(text.code, 0, text.stderr)
      assert.match(text.stdout, new RegExp(`^st: led by ${idOf(a)} since \\S+ \\(lease \\d+ s left\\)$`, 'm'))
      assert.match(text.stdout, /desired: 2 task\(s\), restart on-failure, every 1 s/)

      const refused = await runCli(['state', 'clear', '--project', 'st', '--store', store()], {env: env()})
      assert.equal(refused.code, 2)
      assert.match(refused.stderr, new RegExp(`st is led by ${idOf(a)} .*--force`))
      const forced = await runCli(['state', 'clear', '--project', 'st', '--force', '--store', store()], {env: env()})
      assert.equal(forced.code, 0, forced.stderr)
      assert.match(forced.stdout, /tasks on the hosts were not touched/)
      assert.equal(liveIds('st').length, 2, 'the tasks still run')

      const stop = await runCli(['keep', '--stop', '--project', 'st', '--store', store()], {env: env()})
      assert.equal(stop.code, 0, stop.stderr)
      for (const cli of [a, b]) {
        const ended = await Promise.race([cli.exited, sleep(15_000, 'still running')])
        assert.deepEqual(ended, {code: 0, signal: null}, cli.output())
        assert.match(cli.output(), /keep ended \(stop-request\)/)
      }

      const cleared = await runCli(['state', 'clear', '--project', 'st', '--store', store()], {env: env()})
      assert.equal(cleared.code, 0, `no leader now: ${cleared.stderr}`)
    } finally {
      for (const cli of [a, b]) cli.child.kill('SIGKILL')
    }

    // The task records went with clear: the hosts' sandboxes still name the project.
    await runCli(['task', 'stop', '--project', 'st', '--grace', '1', '--state-dir', stateDir('a')], {env: env()})
    assert.deepEqual(liveIds('st'), [], 'no task of st left on any host')
  })

  test('task list and task stop from a second controller see and stop what the first started', async () => {
    const start = await runCli(
      [
        'task',
        'start',
        '-c',
        'sleep 300',
        '--count',
        '3',
        '--project',
        'tc',
        '--store',
        store(),
        '--state-dir',
        stateDir('a'),
      ],
      {env: env()},
    )
    assert.equal(start.code, 0, start.stderr)
    assert.equal(liveIds('tc').length, 3)
    const elsewhere = ['--store', store(), '--state-dir', stateDir('elsewhere')]
    const list = await runCliJson<TaskListReport>(['task', 'list', '--project', 'tc', ...elsewhere], {env: env()})
    assert.equal(list.json.counts.running, 3)
    assert.deepEqual(list.json.tasks.map((t) => t.id).sort(), liveIds('tc'))
    const [first] = list.json.tasks
    const logs = await runCli(['task', 'logs', first?.id ?? '', ...elsewhere], {env: env()})
    assert.equal(logs.code, 0, logs.stderr)
    const stop = await runCli(['task', 'stop', '--project', 'tc', '--grace', '1', ...elsewhere], {env: env()})
    assert.equal(stop.code, 0, stop.stderr)
    assert.deepEqual(liveIds('tc'), [], 'stopped from the second controller')
  })

  test('library: keep with a store and function hooks, ended by stopKeep; keepState sees it lead', async () => {
    const {keep, keepState, loadInventory, stopKeep} = await import('../../src/index.js')
    const inventory = loadInventory({file: fleet().clientsConf, sshConfig: fleet().sshConfig, env: env()})
    const controller = new AbortController()
    let cycles = 0
    const lines: string[] = []
    const kept = keep({
      inventory,
      env: env(),
      stateDir: stateDir('lib'),
      store: store(),
      lease: LEASE,
      count: 2,
      command: 'sleep 300',
      project: 'sl',
      interval: INTERVAL,
      grace: 1,
      stopOnExit: true,
      signal: controller.signal,
      hooks: {
        maintenance() {
          cycles += 1
        },
      },
      onLog: (line) => lines.push(line),
    })
    try {
      assert.ok(await waitFor(() => liveIds('sl').length === 2, 20_000), lines.join('\n'))
      const state = await keepState({store: store(), project: 'sl'})
      assert.equal(state.projects[0]?.leader?.id, `${hostname()}:${process.pid}`)
      assert.deepEqual(state.projects[0]?.desired?.hooks, ['maintenance'])
      const asked = await stopKeep({store: store(), project: 'sl'})
      assert.equal(asked.via, 'store')
      const report = await Promise.race([kept, sleep(15_000, 'still keeping 15 s after stopKeep')])
      assert.ok(typeof report === 'object', String(report))
      assert.equal(report.endedBy, 'stop-request')
      assert.equal(report.started, 2)
      assert.ok(cycles >= 1, 'the maintenance hook ran')
    } finally {
      controller.abort()
      await kept.catch(() => {})
    }

    // --stop-on-exit: the leader stopped its tasks as it ended.
    assert.deepEqual(liveIds('sl'), [], 'no task of sl left on any host')
  })

  test('a store that does not answer: task and state exit 2 in one line; keep waits, then gives up with --store-timeout', async () => {
    const dead = 'etcd://127.0.0.1:1'
    for (const args of [['state'], ['task', 'list']]) {
      const result = await runCli([...args, '--store', dead], {env: env()})
      assert.equal(result.code, 2, result.stderr)
      assert.match(
        result.stderr.trim(),
        /^Error: store etcd:\/\/127\.0\.0\.1:1 unreachable \(connection refused\): start etcd/,
      )
      assert.equal(result.stderr.trim().split('\n').length, 1)
    }

    const waiting = await runCli(
      [
        'keep',
        '2',
        '-c',
        'sleep 300',
        '--project',
        'nw',
        '--store',
        dead,
        '--store-timeout',
        '2s',
        '--state-dir',
        stateDir('nw'),
      ],
      {
        env: env(),
      },
    )
    assert.equal(waiting.code, 2, waiting.stderr)
    assert.match(waiting.stdout, /unreachable \(connection refused\)[^\n]*; waiting for it, retrying every 1 s/)
  })
})
