import assert from 'node:assert/strict'
// Tasks and keep on hosts that share one home (NFS homes): four inventory names, alias-a..d,
// reach the same fleet host (same user, same home) through ssh_config. The same suite then runs
// on 4 fleet hosts with private homes. Every count is taken on the machine itself, in /proc
// (live processes only: this machine's PID 1 does not reap).
import {execFile} from 'node:child_process'
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {setTimeout as sleep} from 'node:timers/promises'
import {promisify} from 'node:util'

import type {TaskRecord} from '../../src/core/tasks/task-store.js'
import type {PruneReport, StartReport, StopReport, TaskListReport} from '../../src/core/tasks/types.js'

import {type Fleet, startFleet} from '../../fixtures/fleet/fleet.js'
import {readProcStat} from '../../src/core/local/process-info.js'
import {hostPathComponent} from '../../src/core/remote/remote-path.js'
import {type CliOptions, runCli, runCliJson} from '../helpers/cli.js'
import {
  hostIndex,
  liveTaskCommands,
  processGroupsOf,
  readRecords,
  sharedHomeSshConfig,
  startCli,
  tearDownTaskFleet,
  waitFor,
  writeRecords,
} from '../helpers/tasks.js'

const run = promisify(execFile)
const ALIASES = ['alias-a', 'alias-b', 'alias-c', 'alias-d']

for (const shared of [true, false])
  describe(`director task and keep on 4 names ${shared ? 'that share one home' : 'with private homes'}`, () => {
    suite(shared)
  })

function suite(shared: boolean): void {
  // Projects unique to this run and mode: the counts in /proc see every test file's tasks on this machine.
  const project = (name: string): string => `${shared ? 'shared' : 'private'}-${name}-${process.pid}`
  let current: Fleet | undefined
  const stateDir = mkdtempSync(join(tmpdir(), 'director-tasks-homes-'))
  const fleet = (): Fleet => current ?? assert.fail('the fleet did not start')
  const names = (): string[] => (shared ? ALIASES : fleet().hosts.map((host) => host.address))
  const name = (i: number): string => names()[i] ?? assert.fail(`no name ${i}`)
  /** The home the host behind inventory name `host` logs in to. */
  const homeOf = (host: string): string =>
    shared ? fleet().host(1).home : (fleet().hosts.find((h) => h.address === host)?.home ?? assert.fail(host))
  /** The fleet host behind inventory name `host` (all names are host 1 on the shared home). */
  const indexOf = (host: string): number => (shared ? 1 : hostIndex(fleet(), host))
  /** Whether a task's pid (as its host sees it, in its own pid namespace) is alive there. */
  const aliveOn = (host: string, pid: number): boolean => fleet().isAliveOn(indexOf(host), pid)
  const sandboxes = (host: string): string => join(homeOf(host), 'director', 'tasks', hostPathComponent(host))
  let env: Record<string, string> = {}
  const options = (): CliOptions => ({env, timeoutMs: 30_000})
  const task = (args: string[]): string[] => ['task', ...args, '--state-dir', stateDir]
  const list = async (project: string): Promise<TaskListReport> =>
    (await runCliJson<TaskListReport>(task(['list', '--project', project]), options())).json
  /** The task commands of `project` alive on the machine: `exec sleep 300` makes each one a `sleep 300`. */
  const live = (project: string): number[] => liveTaskCommands(project, ['sleep', '300'])
  const start = async (project: string, count: number): Promise<StartReport> => {
    const args = ['start', '-c', 'exec sleep 300', '--count', String(count), '--project', project]
    const started = await runCliJson<StartReport>(task(args), options())
    assert.equal(started.code, 0, started.stderr)
    return started.json
  }

  before(async () => {
    current = await startFleet({hosts: shared ? 1 : 4})
    const xdg = {XDG_STATE_HOME: join(stateDir, 'xdg')}
    if (!shared) {
      env = {...fleet().env(), ...xdg}
      return
    }

    const sshConfig = join(stateDir, 'ssh_config')
    writeFileSync(sshConfig, sharedHomeSshConfig(fleet(), ALIASES, fleet().host(1)))
    const clients = fleet().writeClientsConf(ALIASES, 'clients-shared-home.conf')
    env = {DIRECTOR_CLIENTS: clients, DIRECTOR_SSH_CONFIG: sshConfig, ...xdg}
  })

  after(async () =>
    tearDownTaskFleet(current, {
      stateDir,
      folder: stateDir,
      stop: async () => runCli(task(['stop', '--all', '--grace', '1']), options()),
    }),
  )

  test('task start --count 4: exactly 4 running, one per name, 4 live processes; each name has its folder', async () => {
    const started = await start(project('four'), 4)
    assert.deepEqual(started.started.map((t) => t.host).sort(), [...names()].sort())
    const listed = await list(project('four'))
    assert.deepEqual(
      listed.tasks.map((t) => [t.host, t.state]),
      names().map((host) => [host, 'running']),
    )
    assert.deepEqual(listed.foreign, [], 'each name sees only its own folder')
    const pids = live(project('four'))
    assert.equal(pids.length, 4, `live task processes: ${pids.join(' ')}`)
    assert.equal(processGroupsOf(pids).length, 4, 'in 4 process groups')
    for (const t of started.started) {
      const dir = sandboxes(t.host)
      assert.deepEqual(readdirSync(dir), [t.id], `${t.host}'s folder holds its one sandbox`)
      assert.match(
        readFileSync(join(dir, t.id, 'owner'), 'utf8'),
        new RegExp(`^host ${t.host}\nmachine \\S+\nboot \\S+\n$`),
      )
    }

    // The count also holds the next time: each name already runs one, so 4 more go one per name.
    await start(project('four'), 4)
    assert.equal((await list(project('four'))).counts.running, 8)
    assert.equal(live(project('four')).length, 8)
    await runCli(task(['stop', '--project', project('four'), '--grace', '1']), options())
    assert.deepEqual(live(project('four')), [])
  })

  test("task stop of one name's task never kills another's; --limit stops one name's only", async () => {
    const started = await start(project('stop1'), 4)
    const byHost = new Map(started.started.map((t) => [t.host, t]))
    const b = byHost.get(name(1)) ?? assert.fail(`no task on ${name(1)}`)
    const stopped = await runCliJson<StopReport>(task(['stop', b.id, '--grace', '1']), options())
    assert.equal(stopped.code, 0, stopped.stderr)
    assert.deepEqual(
      stopped.json.tasks.map((t) => [t.id, t.host, t.outcome]),
      [[b.id, name(1), 'stopped']],
    )
    assert.equal(aliveOn(b.host, b.pid), false)
    const left = started.started.filter((t) => t.host !== name(1))
    assert.ok(
      left.every((t) => aliveOn(t.host, t.pid)),
      'the other names keep theirs',
    )
    assert.equal(live(project('stop1')).length, 3)

    const c = await runCliJson<StopReport>(
      task(['stop', '--project', project('stop1'), '--limit', name(2), '--grace', '1']),
      options(),
    )
    assert.deepEqual(
      c.json.tasks.map((t) => t.host),
      [name(2)],
    )
    // live() sees this machine's pids; a task's pid is its host's: translated to compare.
    const outerOf = (t: {host: string; pid: number} | undefined) => t && fleet().outerPid(indexOf(t.host), t.pid)
    assert.deepEqual(live(project('stop1')).sort(), [outerOf(byHost.get(name(0))), outerOf(byHost.get(name(3)))].sort())
    const listed = await list(project('stop1'))
    assert.deepEqual(
      listed.tasks.map((t) => [t.host, t.state]),
      [
        [name(0), 'running'],
        [name(1), 'killed'],
        [name(2), 'killed'],
        [name(3), 'running'],
      ],
    )
    await runCli(task(['stop', '--project', project('stop1'), '--grace', '1']), options())
    assert.deepEqual(live(project('stop1')), [])
  })

  test('a sandbox whose owner is another machine is never listed, lost or signalled by this one', async () => {
    const started = await start(project('other'), 1)
    const mine = started.started[0] ?? assert.fail('no task')
    const ownerFile = join(sandboxes(mine.host), mine.id, 'owner')
    const original = readFileSync(ownerFile, 'utf8')
    try {
      writeFileSync(ownerFile, original.replace(/^machine .*$/m, 'machine another-machine'))
      const listed = await runCliJson<TaskListReport>(task(['list', '--project', project('other')]), options())
      assert.equal(listed.code, 0, listed.stderr)
      assert.deepEqual(listed.json.tasks, [], 'neither running nor lost')
      assert.deepEqual(listed.json.foreign, [
        {host: mine.host, id: mine.id, owner: `${mine.host} on machine another-machine`},
      ])
      const table = await runCli(task(['list', '--project', project('other')]), options())
      assert.match(
        table.stdout,
        new RegExp(`^@${mine.host}: 1 sandbox\\(es\\) not this host's, left alone: ${mine.id} `, 'm'),
      )
      const refused = await runCliJson<StopReport>(task(['stop', mine.id, '--grace', '1']), options())
      assert.equal(refused.code, 1)
      assert.deepEqual(
        refused.json.tasks.map((t) => t.outcome),
        ['foreign'],
      )
      const all = await runCliJson<StopReport>(task(['stop', '--all', '--grace', '1']), options())
      assert.deepEqual(all.json.tasks, [])
      assert.ok(aliveOn(mine.host, mine.pid), 'not signalled')
      const kept = await runCliJson<PruneReport>(task(['prune', '--project', project('other')]), options())
      assert.deepEqual(kept.json.pruned, [])
      assert.ok(existsSync(ownerFile), 'not pruned')
    } finally {
      writeFileSync(ownerFile, original)
    }

    const stopped = await runCliJson<StopReport>(task(['stop', mine.id, '--grace', '1']), options())
    assert.equal(stopped.json.tasks[0]?.outcome, 'stopped')
    assert.equal(aliveOn(mine.host, mine.pid), false)
  })

  test('a sandbox from an earlier boot of this machine is lost, and its pid is not signalled', async () => {
    const started = await start(project('boot'), 1)
    const mine = started.started[0] ?? assert.fail('no task')
    const ownerFile = join(sandboxes(mine.host), mine.id, 'owner')
    const original = readFileSync(ownerFile, 'utf8')
    try {
      writeFileSync(ownerFile, original.replace(/^boot .*$/m, 'boot an-earlier-boot'))
      const listed = await list(project('boot'))
      assert.deepEqual(
        listed.tasks.map((t) => [t.id, t.state, t.reason]),
        [[mine.id, 'lost', 'the host rebooted after it started (boot id differs)']],
      )
      const stopped = await runCliJson<StopReport>(task(['stop', mine.id, '--grace', '1']), options())
      assert.equal(stopped.code, 0, stopped.stderr)
      assert.deepEqual(
        stopped.json.tasks.map((t) => t.outcome),
        ['rebooted'],
      )
      assert.ok(aliveOn(mine.host, mine.pid), 'a pid from an earlier boot is never signalled')
    } finally {
      writeFileSync(ownerFile, original)
    }

    await runCli(task(['stop', mine.id, '--grace', '1']), options())
    assert.equal(aliveOn(mine.host, mine.pid), false)
  })

  test('an ownerless sandbox (older layout): its recorded host alone manages it; unrecorded, no host does', async () => {
    const legacy = async (id: string): Promise<{pid: number; dir: string; record: TaskRecord}> => {
      // A process of its own session on the host (in its pid namespace), as a task's would be.
      const host = fleet().host(indexOf(name(1)))
      const started = await run('ssh', [
        '-F',
        fleet().sshConfig,
        '-o',
        'BatchMode=yes',
        host.address,
        'setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $!',
      ])
      const pid = Number(started.stdout.trim())
      const outer = fleet().outerPid(host.index, pid) ?? assert.fail(`no process ${pid} on host ${host.index}`)
      const startTime = readProcStat(outer)?.startTime ?? assert.fail('no stat')
      // What an older director wrote: tasks/<id>/ right under tasks/, no owner file.
      const dir = join(homeOf(name(1)), 'director', 'tasks', id)
      mkdirSync(dir, {recursive: true})
      const files: Array<[string, number | string]> = [
        ['project', project('old')],
        ['cmd', 'sleep 300'],
        ['pid', pid],
        ['pgid', pid],
        ['start_time', startTime],
      ]
      for (const [name, value] of files) writeFileSync(join(dir, name), `${value}\n`)
      writeFileSync(join(dir, 'started_at'), `${new Date().toISOString().slice(0, 19)}Z\n`)
      // Written by the host's user, as an older director on the host would have.
      const {uid, gid} = statSync(homeOf(name(1)))
      for (const path of [dir, ...readdirSync(dir).map((file) => join(dir, file))]) chownSync(path, uid, gid)
      const record: TaskRecord = {
        id,
        project: project('old'),
        host: name(1),
        remoteRoot: '~/director',
        pid,
        pgid: pid,
        startTime,
        startedAt: new Date().toISOString(),
        command: 'sleep 300',
      }
      return {pid, dir, record}
    }

    const recorded = await legacy('t-20200101000000-aaaa')
    const stray = await legacy('t-20200101000000-bbbb')
    writeRecords(stateDir, [...readRecords(stateDir), recorded.record])
    try {
      const listed = await runCliJson<TaskListReport>(task(['list', '--project', project('old')]), options())
      assert.equal(listed.code, 0, listed.stderr)
      assert.deepEqual(
        listed.json.tasks.map((t) => [t.id, t.host, t.state]),
        [[recorded.record.id, name(1), 'running']],
        'listed once, by the host its record names',
      )
      assert.deepEqual(
        listed.json.foreign,
        (shared ? names() : [name(1)]).map((host) => ({host, id: stray.record.id, owner: null})),
        'the unrecorded one is left alone by every name that sees it, and said so',
      )
      // Stopped by id beside a new task of the first name: each by its own host, once, none twice.
      const fresh = await start(project('old-new'), 1)
      const freshTask = fresh.started[0] ?? assert.fail('no task')
      const byId = await runCliJson<StopReport>(
        task(['stop', recorded.record.id, freshTask.id, '--grace', '1']),
        options(),
      )
      assert.equal(byId.code, 0, byId.stderr)
      assert.deepEqual(
        byId.json.tasks.map((t) => [t.id, t.host, t.outcome]).sort(),
        [
          [recorded.record.id, name(1), 'stopped'],
          [freshTask.id, freshTask.host, 'stopped'],
        ].sort(),
      )
      assert.equal(aliveOn(name(1), recorded.pid), false)
      const all = await runCliJson<StopReport>(task(['stop', '--all', '--grace', '1']), options())
      assert.deepEqual(all.json.tasks, [], '--all finds nothing else to stop: the unclaimed one is not its')
      assert.ok(aliveOn(name(1), stray.pid), 'the unclaimed one is not signalled')
      const pruned = await runCliJson<PruneReport>(task(['prune', '--project', project('old')]), options())
      assert.deepEqual(
        pruned.json.pruned.map((t) => [t.id, t.host]),
        [[recorded.record.id, name(1)]],
      )
      assert.equal(existsSync(recorded.dir), false)
      assert.ok(existsSync(stray.dir), 'the unclaimed sandbox stays')
    } finally {
      for (const pid of [recorded.pid, stray.pid]) {
        const outer = fleet().outerPid(indexOf(name(1)), pid)
        try {
          if (outer !== undefined) process.kill(-outer, 'SIGKILL')
        } catch {}
      }

      rmSync(stray.dir, {recursive: true, force: true})
      rmSync(recorded.dir, {recursive: true, force: true})
    }
  })

  test('keep 4 --interval 1 holds exactly 4 live processes, cycle after cycle, and starts no more', async () => {
    const args = [
      'keep',
      '4',
      '-c',
      'exec sleep 300',
      '--project',
      project('kp'),
      '--interval',
      '1',
      '--state-dir',
      stateDir,
    ]
    const keep = startCli(args, env, 60_000)
    const counts: number[] = []
    try {
      const four = await waitFor(() => {
        counts.push(live(project('kp')).length)
        return counts.at(-1) === 4
      }, 20_000)
      assert.ok(four, keep.output())
      // 6 s at --interval 1: at least 5 more cycles, each listing every name's folder.
      const deadline = Date.now() + 6000
      for (let i = 0; i < 60 && Date.now() < deadline; i++) {
        counts.push(live(project('kp')).length)
        await sleep(100)
      }

      assert.ok(
        counts.every((n) => n <= 4),
        `never more than 4: ${counts.join(' ')}`,
      )
      assert.ok(
        counts.slice(counts.indexOf(4)).every((n) => n === 4),
        `exactly 4 once there: ${counts.join(' ')}`,
      )
      assert.deepEqual(
        (await list(project('kp'))).tasks.map((t) => [t.host, t.state]),
        names().map((host) => [host, 'running']),
      )
      const log = readFileSync(join(stateDir, 'projects', project('kp'), 'keep.log'), 'utf8')
      assert.equal(log.match(/ start t-/g)?.length, 4, log)
      assert.doesNotMatch(log, / (stop|lost|failed) t-/, 'nothing stopped, lost or failed')
      writeFileSync(join(stateDir, 'projects', project('kp'), 'stop'), '')
      const ended = await Promise.race([keep.exited, sleep(10_000, 'still running 10 s after the stop file')])
      assert.deepEqual(ended, {code: 0, signal: null}, keep.output())
    } finally {
      keep.child.kill('SIGKILL')
      await runCli(task(['stop', '--project', project('kp'), '--grace', '1']), options())
    }

    assert.deepEqual(live(project('kp')), [])
  })
}
