import assert from 'node:assert/strict'
// `director task start/list/stop/logs` against a real sshd fleet of 3 hosts. Each host has its own
// pid namespace: the pids director records are the host's, looked up there (liveGroupMembersOn...).
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {setTimeout as sleep} from 'node:timers/promises'

import type {PruneReport, StartReport, StopReport, TaskListReport} from '../../src/core/tasks/types.js'

import {type Fleet, startFleet} from '../../fixtures/fleet/fleet.js'
import {type CliOptions, runCli, runCliJson} from '../helpers/cli.js'
import {
  isAliveOn,
  liveGroupMembersOn,
  liveProcessesWithEnvOn,
  readRecords,
  startCli,
  taskIdsOn,
  tearDownTaskFleet,
  waitFor,
  writeRecords,
} from '../helpers/tasks.js'

describe('director task on a fleet of 3 hosts', () => {
  let current: Fleet | undefined
  const stateDir = mkdtempSync(join(tmpdir(), 'director-tasks-e2e-'))
  const fleet = (): Fleet => current ?? assert.fail('the fleet did not start')
  const env = (): Record<string, string> => ({...fleet().env(), XDG_STATE_HOME: join(stateDir, 'xdg')})
  const options = (): CliOptions => ({env: env()})
  const task = (args: string[]): string[] => ['task', ...args, '--state-dir', stateDir]
  const list = async (project: string): Promise<TaskListReport> =>
    (await runCliJson<TaskListReport>(task(['list', '--project', project]), options())).json

  /** The sandboxes of `project` on each host's disk, host by host. */
  const sandboxesOnDisk = (project: string): string[][] =>
    fleet().hosts.map((host) => {
      const dir = join(host.home, 'director', 'tasks', host.address)
      if (!existsSync(dir)) return []
      return readdirSync(dir)
        .filter((id) => {
          const file = join(dir, id, 'project')
          return existsSync(file) && readFileSync(file, 'utf8') === `${project}\n`
        })
        .sort()
    })

  before(async () => {
    current = await startFleet({hosts: 3})
  })

  after(async () =>
    tearDownTaskFleet(current, {
      stateDir,
      folder: stateDir,
      stop: async () => runCli(task(['stop', '--all', '--grace', '1']), options()),
    }),
  )

  test('6 tasks over 3 hosts run; one stopped is killed with its children, its log kept', async () => {
    const command = 'echo "out $DIRECTOR_TASK_ID"; sleep 300 & sleep 300; wait'
    const started = await runCliJson<StartReport>(
      task(['start', '-c', command, '--count', '6', '--project', 'six']),
      options(),
    )
    assert.equal(started.code, 0, started.stderr)
    assert.equal(started.json.started.length, 6)
    for (const host of fleet().hosts) {
      const said = started.json.started.filter((t) => t.host === host.address).map((t) => t.id)
      assert.equal(said.length, 2, 'two tasks per host')
      // Counted on the host itself: the task ids its live processes carry in their environment.
      assert.deepEqual(taskIdsOn(fleet(), host.index), said.sort(), `the tasks running on ${host.address}`)
    }

    const listed = await list('six')
    assert.deepEqual(
      listed.tasks.map((t) => t.state),
      Array.from({length: 6}, () => 'running'),
    )
    const victim = started.json.started[0] ?? assert.fail('no task')
    assert.equal(liveGroupMembersOn(fleet(), victim.host, victim.pgid).length, 4, 'wrapper, sh and two sleeps')
    const stopped = await runCliJson<StopReport>(task(['stop', victim.id, '--grace', '5']), options())
    assert.equal(stopped.code, 0, stopped.stderr)
    assert.equal(stopped.json.tasks[0]?.outcome, 'stopped')
    assert.equal(isAliveOn(fleet(), victim.host, victim.pid), false)
    assert.deepEqual(liveGroupMembersOn(fleet(), victim.host, victim.pgid), [], 'nothing of the task is left running')
    const after = await list('six')
    assert.equal(after.tasks.find((t) => t.id === victim.id)?.state, 'killed')
    assert.equal(after.counts.running, 5)
    const logs = await runCli(task(['logs', victim.id]), options())
    assert.equal(logs.code, 0, logs.stderr)
    assert.equal(logs.stdout, `out ${victim.id}\n`)
    const rest = await runCliJson<StopReport>(task(['stop', '--project', 'six', '--grace', '2']), options())
    assert.equal(rest.json.tasks.length, 5)
    for (const t of started.json.started) assert.deepEqual(liveGroupMembersOn(fleet(), t.host, t.pgid), [])
  })

  test('a task that exits 3 is failed with exit code 3; one that exits 0 is finished', async () => {
    const limit = (i: number): string[] => ['--limit', fleet().host(i).address, '--project', 'ends']
    assert.equal((await runCli(task(['start', '-c', 'exit 3', ...limit(1)]), options())).code, 0)
    assert.equal((await runCli(task(['start', '-c', 'echo done', ...limit(2)]), options())).code, 0)
    let report: TaskListReport | undefined
    const ended = await waitFor(async () => {
      report = await list('ends')
      return report.tasks.length === 2 && report.tasks.every((t) => t.state !== 'running')
    }, 10_000)
    assert.ok(ended, JSON.stringify(report))
    assert.deepEqual(
      report?.tasks.map((t) => [t.host, t.state, t.exitCode]),
      [
        [fleet().host(1).address, 'failed', 3],
        [fleet().host(2).address, 'finished', 0],
      ],
    )
  })

  test('a killed task shows its signal in EXIT and --json: SIGTERM, or SIGKILL after the grace', async () => {
    const start = async (command: string, i: number): Promise<StartReport['started'][number]> => {
      const args = ['start', '-c', command, '--limit', fleet().host(i).address, '--project', 'sig']
      const started = await runCliJson<StartReport>(task(args), options())
      return started.json.started[0] ?? assert.fail(started.stderr)
    }

    const polite = await start('sleep 300', 1)
    // It and its sleep ignore SIGTERM: only the SIGKILL after the grace ends them.
    const stubborn = await start("trap '' TERM; sleep 300", 2)
    const stopped = await runCliJson<StopReport>(task(['stop', '--project', 'sig', '--grace', '1']), options())
    assert.deepEqual(
      stopped.json.tasks.map((t) => [t.id, t.outcome]),
      [
        [polite.id, 'stopped'],
        [stubborn.id, 'forced'],
      ],
    )
    for (const t of [polite, stubborn])
      assert.deepEqual(liveGroupMembersOn(fleet(), t.host, t.pgid), [], 'nothing of the task is left')
    const listed = await list('sig')
    assert.deepEqual(
      listed.tasks.map((t) => [t.id, t.state, t.exitCode, t.signal]),
      [
        [polite.id, 'killed', 143, 'SIGTERM'],
        [stubborn.id, 'killed', null, 'SIGKILL'],
      ],
    )
    const table = await runCli(task(['list', '--project', 'sig']), options())
    assert.match(table.stdout, new RegExp(`^${polite.id} .* killed +- +SIGTERM *$`, 'm'))
    assert.match(table.stdout, new RegExp(`^${stubborn.id} .* killed +- +SIGKILL *$`, 'm'))
  })

  test('a recorded pid now belonging to another process is never signalled', async () => {
    const started = await runCliJson<StartReport>(
      task(['start', '-c', 'sleep 300', '--limit', fleet().host(1).address, '--project', 'reuse']),
      options(),
    )
    const mine = started.json.started[0] ?? assert.fail(started.stderr)
    // An unrelated process on the same host (pids mean something only there).
    const detach = 'setsid sleep 300 >/dev/null 2>&1 < /dev/null & echo $!'
    const stranger = spawn('ssh', ['-F', fleet().sshConfig, fleet().host(1).address, detach], {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    const strangerPid = await new Promise<number>((resolve) => {
      stranger.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())))
      stranger.once('close', () => resolve(0))
    })
    assert.ok(strangerPid > 1, 'the unrelated process started on host 1')
    const alive = (pid: number): boolean => isAliveOn(fleet(), 1, pid)
    const original = readRecords(stateDir)
    try {
      // The record now points at an unrelated process (as if the pid had been reused).
      writeRecords(
        stateDir,
        original.map((r) => (r.id === mine.id ? {...r, pid: strangerPid, pgid: strangerPid} : r)),
      )
      const refused = await runCliJson<StopReport>(task(['stop', mine.id, '--grace', '1']), options())
      assert.equal(refused.code, 1)
      assert.equal(refused.json.tasks[0]?.outcome, 'reused')
      assert.ok(alive(strangerPid), 'the unrelated process survives')
      assert.ok(alive(mine.pid), 'the task was not signalled either')
      // A start time that no longer matches is refused the same way.
      writeRecords(
        stateDir,
        original.map((r) => (r.id === mine.id ? {...r, startTime: `${r.startTime}1`} : r)),
      )
      const again = await runCliJson<StopReport>(task(['stop', mine.id, '--grace', '1']), options())
      assert.equal(again.json.tasks[0]?.outcome, 'reused')
      assert.ok(alive(mine.pid))
    } finally {
      writeRecords(stateDir, original)
      const outer = fleet().outerPid(1, strangerPid)
      if (outer !== undefined) process.kill(outer, 'SIGKILL')
    }

    const stopped = await runCliJson<StopReport>(task(['stop', mine.id, '--grace', '1']), options())
    assert.equal(stopped.json.tasks[0]?.outcome, 'stopped')
    assert.equal(alive(mine.pid), false)
  })

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)
    test(`task logs --follow ends on ONE ${signal} within 2 s (exit ${code}), and its remote tail with it`, async () => {
      const started = await runCliJson<StartReport>(
        task(['start', '-c', 'echo ready; sleep 300', '--limit', fleet().host(1).address, '--project', 'follow']),
        options(),
      )
      const mine = started.json.started[0] ?? assert.fail(started.stderr)
      // Every process of the follow on the host carries this cookie: counted in host 1's pid namespace.
      const cookie = `DIRECTOR_LOGS_OF=${mine.id}`
      const withCookie = (): number[] => liveProcessesWithEnvOn(fleet(), 1, cookie)
      const follow = startCli(task(['logs', mine.id, '--follow']), env(), 30_000)
      try {
        assert.ok(await waitFor(() => follow.output().includes('ready\n'), 10_000), follow.output())
        const before = withCookie()
        follow.child.kill(signal)
        const ended = await Promise.race([follow.exited, sleep(2000, `still running 2 s after one ${signal}`)])
        assert.deepEqual(ended, {code, signal: null}, follow.output())
        assert.ok(before.length >= 2, `the follow's sh and tail were found on the host: ${before.join(' ')}`)
        const gone = await waitFor(() => withCookie().length === 0, 5000)
        assert.ok(gone, `left on the host: ${withCookie().join(' ')}`)
        assert.ok(isAliveOn(fleet(), 1, mine.pid), 'the task itself goes on')
      } finally {
        follow.child.kill('SIGKILL')
        await runCli(task(['stop', mine.id, '--grace', '1']), options())
      }
    })

  test('task logs --follow of a task that ends prints everything and ends with it, exit 0', async () => {
    const started = await runCliJson<StartReport>(
      task(['start', '-c', 'echo a; sleep 1; echo b', '--limit', fleet().host(2).address, '--project', 'follow']),
      options(),
    )
    const mine = started.json.started[0] ?? assert.fail(started.stderr)
    const followed = await runCli(task(['logs', mine.id, '--follow']), {...options(), timeoutMs: 20_000})
    assert.equal(followed.code, 0, followed.stderr)
    assert.equal(followed.stdout, 'a\nb\n')
    const gone = await waitFor(
      () => liveProcessesWithEnvOn(fleet(), 2, `DIRECTOR_LOGS_OF=${mine.id}`).length === 0,
      5000,
    )
    assert.ok(gone, 'nothing of the follow is left on the host')
  })

  test('task list shows the live tasks and the last 10 ended; --all every one; --state filters', async () => {
    const start = async (args: string[]): Promise<void> => {
      const started = await runCli(task(['start', ...args, '--project', 'hist']), options())
      assert.equal(started.code, 0, started.stderr)
    }

    await start(['-c', 'exit 3', '--count', '6'])
    await start(['-c', 'true', '--count', '6'])
    await start(['-c', 'sleep 300', '--limit', fleet().host(1).address])
    const all = async (): Promise<TaskListReport> =>
      (await runCliJson<TaskListReport>(task(['list', '--project', 'hist', '--all']), options())).json
    const settled = await waitFor(async () => {
      const {counts} = await all()
      return counts.failed === 6 && counts.finished === 6 && counts.running === 1
    }, 15_000)
    assert.ok(settled, JSON.stringify(await all()))
    const every = await all()
    assert.equal(every.tasks.length, 13)
    assert.equal(every.hidden, 0)

    const recent = await list('hist')
    assert.equal(recent.tasks.length, 11)
    assert.equal(recent.hidden, 2)
    assert.equal(recent.counts.running, 1, 'the running task is always shown')
    const at = (t: TaskListReport['tasks'][number]): number => Date.parse(t.endedAt ?? '')
    const shown = new Set(recent.tasks.map((t) => t.id))
    const left = every.tasks.filter((t) => !shown.has(t.id))
    const earliestShown = Math.min(...recent.tasks.filter((t) => t.state !== 'running').map((t) => at(t)))
    assert.ok(
      left.every((t) => t.state !== 'running' && at(t) <= earliestShown),
      'the ones left out ended first',
    )
    const table = await runCli(task(['list', '--project', 'hist']), options())
    assert.match(table.stdout, /^2 older ended task\(s\) not shown \(--all shows every one\)$/m)

    const some = await runCliJson<TaskListReport>(
      task(['list', '--project', 'hist', '--state', 'running,failed']),
      options(),
    )
    assert.deepEqual(
      [some.json.tasks.length, some.json.counts.running, some.json.counts.failed, some.json.hidden],
      [7, 1, 6, 0],
    )
    const bad = await runCli(task(['list', '--state', 'running,runing']), options())
    assert.equal(bad.code, 2)
    assert.equal(bad.stdout, '')
    assert.match(bad.stderr, /^Error: --state: unknown state "runing" \(states are staging, running, [^\n]*\)\n$/)
    await runCli(task(['stop', '--project', 'hist', '--grace', '1']), options())
  })

  test('task prune removes ended tasks (records and sandboxes on the hosts), never a running one', async () => {
    const started = await runCliJson<StartReport>(task(['start', '-c', 'true', '--project', 'pr']), options())
    assert.equal(started.json.started.length, 3, started.stderr)
    const live = await runCliJson<StartReport>(
      task(['start', '-c', 'sleep 300', '--limit', fleet().host(1).address, '--project', 'pr']),
      options(),
    )
    const runner = live.json.started[0] ?? assert.fail(live.stderr)
    const ended = await waitFor(async () => (await list('pr')).counts.finished === 3, 15_000)
    assert.ok(ended, JSON.stringify(await list('pr')))
    assert.deepEqual(
      sandboxesOnDisk('pr').map((ids) => ids.length),
      [2, 1, 1],
    )

    const badAge = await runCli(task(['prune', '--older-than', '7w']), options())
    assert.equal(badAge.code, 2)
    assert.match(badAge.stderr, /^Error: --older-than: "7w" is not a duration [^\n]*\n$/)

    // One ended task on host 2 ended long ago (its sandbox says so); the others just now.
    const old = started.json.started.find((t) => t.host === fleet().host(2).address)
    assert.ok(old)
    writeFileSync(
      join(fleet().host(2).home, 'director', 'tasks', old.host, old.id, 'ended_at'),
      '2020-01-01T00:00:00Z\n',
    )
    const aged = await runCliJson<PruneReport>(task(['prune', '--older-than', '7d', '--project', 'pr']), options())
    assert.equal(aged.code, 0, aged.stderr)
    assert.deepEqual(
      aged.json.pruned.map((t) => t.id),
      [old.id],
    )
    assert.deepEqual(
      sandboxesOnDisk('pr').map((ids) => ids.length),
      [2, 0, 1],
    )

    const rest = await runCliJson<PruneReport>(task(['prune', '--project', 'pr']), options())
    assert.equal(rest.code, 0, rest.stderr)
    assert.equal(rest.json.pruned.length, 2)
    assert.deepEqual(sandboxesOnDisk('pr'), [[runner.id], [], []], 'only the running task is left on the hosts')
    assert.deepEqual(
      readRecords(stateDir)
        .filter((r) => r.project === 'pr')
        .map((r) => r.id),
      [runner.id],
    )
    assert.ok(isAliveOn(fleet(), runner.host, runner.pid), 'the running task goes on')
    assert.deepEqual(
      (await list('pr')).tasks.map((t) => [t.id, t.state]),
      [[runner.id, 'running']],
    )
    await runCli(task(['stop', runner.id, '--grace', '1']), options())
  })

  test('the tasks of a host that is down are lost, with the reason', async () => {
    const {address} = fleet().host(3)
    const started = await runCliJson<StartReport>(
      task(['start', '-c', 'sleep 300', '--limit', address, '--count', '2', '--project', 'down']),
      options(),
    )
    assert.equal(started.json.started.length, 2, started.stderr)
    await fleet().stopHost(3, {killSessions: true})
    try {
      const listed = await runCliJson<TaskListReport>(task(['list', '--project', 'down']), options())
      assert.equal(listed.code, 1)
      assert.deepEqual(
        listed.json.tasks.map((t) => t.state),
        ['lost', 'lost'],
      )
      assert.match(listed.json.tasks[0]?.reason ?? '', /127\.0\.1\.3/)
      assert.equal(listed.json.unreachable[0]?.host, address)
      const table = await runCli(task(['list', '--project', 'down']), options())
      assert.match(table.stdout, /lost .*127\.0\.1\.3/)
    } finally {
      await fleet().startHost(3)
    }

    const back = await list('down')
    assert.deepEqual(
      back.tasks.map((t) => t.state),
      ['running', 'running'],
    )
  })
})
