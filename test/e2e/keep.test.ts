import assert from 'node:assert/strict'
// `director keep` on a real fleet of 3 hosts with --interval 1: a task killed by hand is
// replaced, the tasks of a host whose sshd stops are lost and replaced elsewhere, the stop file
// ends it (once), SIGTERM ends it with 143 and leaves the tasks running. Each test uses its own
// project and leaves every host up and no task of its project running.
import {existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {setTimeout as sleep} from 'node:timers/promises'

import type {TaskListReport} from '../../src/core/tasks/types.js'

import {type Fleet, startFleet} from '../../fixtures/fleet/fleet.js'
import {runCli, runCliJson} from '../helpers/cli.js'
import {isAlive} from '../helpers/processes.js'
import {
  hostIndex,
  isAliveOn,
  liveGroupMembersOn,
  readRecords,
  startCli,
  taskIdsOn,
  tearDownTaskFleet,
  waitFor,
} from '../helpers/tasks.js'

describe('director keep on a fleet of 3 hosts', () => {
  let current: Fleet | undefined
  const stateDir = mkdtempSync(join(tmpdir(), 'director-keep-e2e-'))
  const fleet = (): Fleet => current ?? assert.fail('the fleet did not start')
  const env = (): Record<string, string> => ({...fleet().env(), NO_COLOR: '1'})
  const listed = async (project: string): Promise<TaskListReport> => {
    const args = ['task', 'list', '--project', project, '--state-dir', stateDir]
    return (await runCliJson<TaskListReport>(args, {env: env(), timeoutMs: 20_000})).json
  }

  const running = async (project: string): Promise<TaskListReport['tasks']> =>
    (await listed(project)).tasks.filter((t) => t.state === 'running')
  const keepArgs = (count: number, project: string): string[] => [
    'keep',
    String(count),
    '-c',
    'sleep 300',
    '--project',
    project,
    '--interval',
    '1',
    '--state-dir',
    stateDir,
  ]
  const projectDir = (project: string): string => join(stateDir, 'projects', project)
  const stopProject = async (project: string): Promise<void> => {
    await runCli(['task', 'stop', '--project', project, '--grace', '1', '--state-dir', stateDir], {env: env()})
  }

  const described = (pids: number[]): string =>
    pids.map((pid) => `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')}`).join('; ')

  /** The live processes of the project's recorded tasks, each counted in its host's pid namespace. */
  const liveTaskProcesses = (project: string): number[] =>
    readRecords(stateDir)
      .filter((record) => record.project === project)
      .flatMap((record) => liveGroupMembersOn(fleet(), record.host, record.pgid))

  before(async () => {
    current = await startFleet({hosts: 3})
  })

  after(async () => tearDownTaskFleet(current, {stateDir, folder: stateDir}))

  test('keeps 4 running: replaces a killed task and a lost host, ends on the stop file', async () => {
    const {child, output, exited} = startCli([...keepArgs(4, 'kp'), '--connect-timeout', '2'], env())
    try {
      // Each one recorded too (keep records a task once it hears its pid, just after the host lists it).
      const recorded = (ids: string[]): boolean => ids.every((id) => readRecords(stateDir).some((r) => r.id === id))
      const four = await waitFor(async () => {
        const now = await running('kp')
        return now.length === 4 && recorded(now.map((t) => t.id))
      }, 20_000)
      assert.ok(four, output())
      const [victim] = await running('kp')
      const record = readRecords(stateDir).find((r) => r.id === victim?.id)
      assert.ok(victim && record, 'a running task')
      // Its command crashes: every process of its group but the wrapper (the leader) dies at once.
      const members = fleet().processesOn(hostIndex(fleet(), record.host))
      for (const member of members)
        if (member.hostPgid === record.pgid && member.hostPid !== record.pgid) process.kill(member.pid, 'SIGKILL')
      const replaced = await waitFor(async () => {
        const now = await running('kp')
        return now.length === 4 && !now.some((t) => t.id === victim.id)
      }, 8000)
      assert.ok(replaced, output())
      assert.match(output(), new RegExp(`failed ${victim.id} @`))

      const lostHost = fleet().host(3).address
      const onHost3 = (await running('kp')).filter((t) => t.host === lostHost).map((t) => t.id)
      assert.ok(onHost3.length > 0, 'host 3 runs a task of kp')
      await fleet().stopHost(3, {killSessions: true})
      // Every host is looked at: 4 running on hosts 1 and 2, host 3's tasks lost.
      const moved = await waitFor(async () => {
        const now = await listed('kp')
        const live = now.tasks.filter((t) => t.state === 'running')
        const host3 = now.tasks.filter((t) => onHost3.includes(t.id))
        return live.length === 4 && host3.every((t) => t.state === 'lost')
      }, 20_000)
      assert.ok(moved, `${output()}\n${JSON.stringify(await listed('kp'))}`)
      const now = await listed('kp')
      assert.deepEqual(
        now.unreachable.map((u) => u.host),
        [lostHost],
      )
      assert.ok(now.tasks.filter((t) => t.state === 'running').every((t) => t.host !== lostHost))
      // Counted on the hosts: hosts 1 and 2 run exactly the 4 tasks listed running; host 3's tasks
      // still run there (only its sshd died), unseen by director.
      const runningIds = now.tasks.filter((t) => t.state === 'running').map((t) => t.id)
      const kp = new Set(
        readRecords(stateDir)
          .filter((r) => r.project === 'kp')
          .map((r) => r.id),
      )
      const onHost = (i: number): string[] => taskIdsOn(fleet(), i).filter((id) => kp.has(id))
      assert.deepEqual([...onHost(1), ...onHost(2)].sort(), runningIds.sort())
      assert.deepEqual(onHost(3), [...onHost3].sort())
      for (const id of onHost3) assert.match(output(), new RegExp(`lost ${id} @127\\.0\\.1\\.3`))
      const log = readFileSync(join(projectDir('kp'), 'keep.log'), 'utf8')
      assert.match(log, /^\S+Z start t-\d{14}-[\da-f]{4} @127\.0\.1\.\d pid \d+$/m)

      writeFileSync(join(projectDir('kp'), 'stop'), '')
      const ended = await Promise.race([exited, sleep(10_000, 'still running 10 s after the stop file')])
      assert.deepEqual(ended, {code: 0, signal: null}, output())
      assert.match(output(), /stop file \S+ found/)
    } finally {
      child.kill('SIGKILL')
      await fleet().startHost(3)
      await stopProject('kp')
    }

    const left = liveTaskProcesses('kp')
    assert.deepEqual(
      left,
      [],
      `no task of kp left on any host: ${described(left)} ${JSON.stringify(await listed('kp'))}`,
    )
  })

  test('the stop file ends keep once: it is removed, the log names it, the next keep runs', async () => {
    mkdirSync(projectDir('sf'), {recursive: true})
    const stopFile = join(projectDir('sf'), 'stop')
    const first = startCli(keepArgs(1, 'sf'), env())
    try {
      assert.ok(await waitFor(async () => (await running('sf')).length === 1, 20_000), first.output())
      writeFileSync(stopFile, '')
      const ended = await Promise.race([first.exited, sleep(10_000, 'still running 10 s after the stop file')])
      assert.deepEqual(ended, {code: 0, signal: null}, first.output())
      assert.equal(existsSync(stopFile), false, 'the stop file is gone')
      const log = readFileSync(join(projectDir('sf'), 'keep.log'), 'utf8')
      assert.match(log, new RegExp(`^\\S+Z stop file ${stopFile} found \\(removed\\): ending$`, 'm'))
    } finally {
      first.child.kill('SIGKILL')
    }

    // The next keep of the project does its work: a second task.
    const second = startCli(keepArgs(2, 'sf'), env())
    try {
      assert.ok(await waitFor(async () => (await running('sf')).length === 2, 20_000), second.output())
      assert.equal(second.child.exitCode, null, 'the second keep still runs')
    } finally {
      second.child.kill('SIGKILL')
      await stopProject('sf')
    }

    assert.deepEqual(liveTaskProcesses('sf'), [], 'no task of sf left on any host')
  })

  test('SIGTERM ends keep with 143, nothing on stderr, the tasks left running on every host', async () => {
    const keep = startCli(keepArgs(3, 'term'), env())
    try {
      const three = await waitFor(async () => {
        const now = await running('term')
        // Also recorded: a sandbox is listed running up to 0.1 s before keep hears its pid and records it.
        const recorded = readRecords(stateDir).filter((r) => r.project === 'term').length === 3
        return recorded && now.length === 3 && fleet().hosts.every((host) => now.some((t) => t.host === host.address))
      }, 20_000)
      assert.ok(three, keep.output())
      const groups = readRecords(stateDir).filter((r) => r.project === 'term')
      const before = groups.map((r) => liveGroupMembersOn(fleet(), r.host, r.pgid))
      keep.child.kill('SIGTERM')
      const ended = await Promise.race([keep.exited, sleep(10_000, 'still running 10 s after SIGTERM')])
      assert.deepEqual(ended, {code: 143, signal: null}, keep.output())
      assert.equal(keep.stderr(), '', 'nothing on stderr')
      const log = readFileSync(join(projectDir('term'), 'keep.log'), 'utf8')
        .trimEnd()
        .split('\n')
      assert.match(log.at(-1) ?? '', /keep ended \(signal\)$/)
      // As documented: without --stop-on-exit the tasks go on, one per host, each process alive.
      assert.equal(before.length, 3)
      for (const members of before) {
        assert.ok(members.length >= 2, 'each task is a wrapper and its command')
        assert.ok(
          members.every((pid) => isAlive(pid)),
          'every process of the task still runs',
        )
      }

      const after = await running('term')
      assert.deepEqual(
        after.map((t) => t.host).sort(),
        fleet()
          .hosts.map((h) => h.address)
          .sort(),
      )
    } finally {
      keep.child.kill('SIGKILL')
      await stopProject('term')
    }

    assert.deepEqual(liveTaskProcesses('term'), [], 'no task of term left on any host')
  })

  test('hooks: init runs once on each host first; a task failing its health check is stopped and replaced', async () => {
    const hooks = join(stateDir, 'hp-hooks')
    mkdirSync(hooks, {recursive: true})
    // init leaves a mark in the host's home; health fails for the task whose pid is in ~/sick.
    writeFileSync(join(hooks, 'init'), '#!/bin/sh\necho "$1" >> "$HOME/init-done"\n', {mode: 0o755})
    writeFileSync(join(hooks, 'health'), '#!/bin/sh\n! grep -qx "$2" "$HOME/sick" 2>/dev/null\n', {mode: 0o755})
    const {child, output, exited} = startCli([...keepArgs(3, 'hp'), '--hooks', hooks], env())
    try {
      assert.ok(await waitFor(async () => (await running('hp')).length === 3, 20_000), output())
      for (const host of fleet().hosts)
        assert.equal(readFileSync(join(host.home, 'init-done'), 'utf8'), 'hp\n', `init on ${host.address}`)

      const [sick] = await running('hp')
      assert.ok(sick?.pid)
      const sickHome = fleet().hosts.find((h) => h.address === sick.host)?.home ?? ''
      writeFileSync(join(sickHome, 'sick'), `${sick.pid}\n`)
      const replaced = await waitFor(async () => {
        const now = await running('hp')
        return now.length === 3 && !now.some((t) => t.id === sick.id)
      }, 10_000)
      assert.ok(replaced, output())
      assert.match(output(), new RegExp(`health ${sick.id} @\\S+ failed`))
      assert.ok(
        await waitFor(async () => !isAliveOn(fleet(), sick.host, sick.pid ?? 0), 15_000),
        'the unhealthy task was stopped',
      )
      writeFileSync(join(projectDir('hp'), 'stop'), '')
      const ended = await Promise.race([exited, sleep(10_000, 'still running 10 s after the stop file')])
      assert.deepEqual(ended, {code: 0, signal: null}, output())
      for (const host of fleet().hosts)
        assert.equal(readFileSync(join(host.home, 'init-done'), 'utf8'), 'hp\n', `init once on ${host.address}`)
    } finally {
      child.kill('SIGKILL')
      await stopProject('hp')
    }

    assert.deepEqual(liveTaskProcesses('hp'), [], 'no task of hp left on any host')
  })

  test('library: keep 3 with function hooks (health over the session, init, maintenance, place)', async () => {
    const {keep, loadInventory} = await import('../../src/index.js')
    const inventory = loadInventory({file: fleet().clientsConf, sshConfig: fleet().sshConfig, env: env()})
    const target = fleet().host(2).address
    const sick = new Set<string>()
    const inits: string[] = []
    const wrongSession: string[] = []
    let cycles = 0
    const controller = new AbortController()
    const kept = keep({
      inventory,
      env: env(),
      stateDir,
      count: 3,
      command: 'sleep 300',
      project: 'lib',
      interval: 1,
      grace: 1,
      stopOnExit: true,
      signal: controller.signal,
      hooks: {
        // Healthy while its pid lives on the host the session reaches, unless marked sick.
        async health(task, session) {
          if (session.host.name !== task.host) wrongSession.push(`${task.id}: ${session.host.name}`)
          const probe = await session.exec(`kill -0 ${task.pid}`)
          return probe.code === 0 && !sick.has(task.id)
        },
        init(host) {
          inits.push(host.name)
        },
        maintenance() {
          cycles += 1
        },
        // Every task on host 2, whatever keep would pick.
        place: (_hosts, _tasks, request) => Array.from({length: request.count}, () => target),
      },
    })
    try {
      assert.ok(await waitFor(async () => (await running('lib')).length === 3, 20_000), 'three tasks run')
      assert.equal(taskIdsOn(fleet(), target).length, 3, 'all three live on the host place chose')
      const [victim] = await running('lib')
      assert.ok(victim?.pid)
      sick.add(victim.id)
      const replaced = await waitFor(async () => {
        const now = await running('lib')
        return now.length === 3 && !now.some((t) => t.id === victim.id)
      }, 15_000)
      assert.ok(replaced, 'the unhealthy task was replaced')
      assert.ok(
        await waitFor(async () => !isAliveOn(fleet(), target, victim.pid ?? 0), 15_000),
        'the unhealthy task was stopped on its host',
      )
    } finally {
      controller.abort()
    }

    const report = await kept
    assert.equal(report.endedBy, 'signal')
    assert.ok(report.started >= 4, `started ${report.started}`)
    assert.deepEqual(
      [...inits].sort(),
      fleet()
        .hosts.map((h) => h.address)
        .sort(),
      'init once per host',
    )
    assert.ok(cycles >= 2 && cycles === report.cycles, `maintenance ran each cycle: ${cycles} of ${report.cycles}`)
    assert.deepEqual(wrongSession, [], "health got a session to the task's own host")
    assert.deepEqual(liveTaskProcesses('lib'), [], 'stopOnExit stopped every task of lib on the hosts')
  })
})
