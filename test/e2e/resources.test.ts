import assert from 'node:assert/strict'
// Resources on a real fleet of 3 hosts: capacity declared in each host's ~/director/resources
// (written as the host's user) or in the inventory, tasks placed by an offer round, counted on
// the hosts themselves (taskIdsOn: live processes carrying DIRECTOR_TASK_ID), never in our words.
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import type {StatusReport} from '../../src/core/status/check-status.js'
import type {StartReport} from '../../src/core/tasks/types.js'

import {type Fleet, startFleet} from '../../fixtures/fleet/fleet.js'
import {type CliOptions, runCli, runCliJson} from '../helpers/cli.js'
import {readRecords, startCli, taskIdsOn, tearDownTaskFleet, waitFor} from '../helpers/tasks.js'

describe('resources on a fleet of 3 hosts', () => {
  let current: Fleet | undefined
  const stateDir = mkdtempSync(join(tmpdir(), 'director-resources-e2e-'))
  const fleet = (): Fleet => current ?? assert.fail('the fleet did not start')
  const options = (env: Record<string, string> = {}): CliOptions => ({env: {...fleet().env(), ...env}})
  const task = (args: string[]): string[] => ['task', ...args, '--state-dir', stateDir]
  const start = (project: string, args: string[]): string[] =>
    task(['start', '-c', 'sleep 300', '--project', project, ...args])
  /** Live tasks on hosts 1, 2, 3, counted in each host's own processes. */
  const perHost = (): number[] => [1, 2, 3].map((index) => taskIdsOn(fleet(), index).length)
  const declare = (cpus: number[]): void => {
    for (const [i, n] of cpus.entries()) fleet().writeHomeFile(i + 1, 'director/resources', `cpus=${n} mem=8GiB\n`)
  }

  const stopProject = async (project: string): Promise<void> => {
    const stopped = await runCli(task(['stop', '--project', project, '--grace', '1']), options())
    assert.equal(stopped.code, 0, stopped.stdout + stopped.stderr)
  }

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

  test('hosts of 1, 2 and 4 cpus: 7 tasks of 1 cpu land 1/2/4; an 8th is refused, exit 1, nothing started', async () => {
    declare([1, 2, 4])
    const seven = await runCliJson<StartReport>(start('r7', ['--count', '7', '--cpus', '1']), options())
    assert.equal(seven.code, 0, seven.stderr)
    assert.equal(seven.json.started.length, 7)
    assert.deepEqual(perHost(), [1, 2, 4])

    const eighth = await runCli(start('r7', ['--count', '1', '--cpus', '1']), options())
    assert.equal(eighth.code, 1, eighth.stdout + eighth.stderr)
    assert.match(eighth.stdout, /^not started: needs 1 cpu; best host 127\.0\.1\.1 has 0 cpus, 8\.0 GiB free$/m)
    assert.deepEqual(perHost(), [1, 2, 4])
    assert.equal(readRecords(stateDir).filter((record) => record.project === 'r7').length, 7)

    // What status --resources and task list say about it.
    const status = await runCliJson<StatusReport>(['status', '--resources', '--no-icmp'], options())
    const resources = status.json.hosts.map((host) =>
      host.ssh.ok && host.ssh.resources?.ok ? host.ssh.resources.value : undefined,
    )
    assert.deepEqual(
      resources.map((r) => [r?.cpus, r?.cpusFrom, r?.reserved.cpus, r?.reserved.tasks]),
      [
        [1, 'file', 1, 1],
        [2, 'file', 2, 2],
        [4, 'file', 4, 4],
      ],
    )
    assert.ok(
      resources.every((r) => r !== undefined && r.memAvailable !== null && r.diskFree !== null && r.load !== null),
    )
    const text = await runCli(['status', '--resources', '--no-icmp'], options())
    const table = text.stdout.split('\n').filter((line) => line.startsWith('HOST  ') || line.startsWith('127.0.1.'))
    const header = table.find((line) => line.includes('RESERVED')) ?? assert.fail(text.stdout)
    const row =
      table.find((line) => line.startsWith('127.0.1.3') && line.includes('(file)')) ?? assert.fail(text.stdout)
    assert.equal(row.indexOf('4 cpus (4 tasks)'), header.indexOf('RESERVED'), 'columns aligned')
    assert.match(
      row,
      /^127\.0\.1\.3 +4 \(file\) +\d+\.\d\d +8\.0 GiB \(file\) +\d+\.\d GiB +\d+\.\d GiB +4 cpus \(4 tasks\)$/,
    )
    const listed = await runCli(task(['list', '--project', 'r7']), options())
    assert.equal(listed.stdout.split('\n').filter((line) => / running .* 1 cpu$/.test(line)).length, 7, listed.stdout)
    await stopProject('r7')
  })

  test('--pack fills the hosts in inventory order', async () => {
    declare([1, 2, 4])
    const packed = await runCliJson<StartReport>(start('rp', ['--count', '3', '--cpus', '1', '--pack']), options())
    assert.equal(packed.code, 0, packed.stderr)
    assert.deepEqual(perHost(), [1, 2, 0])
    await stopProject('rp')
  })

  test('library: keep --cpus with a place hook: it sees the offers, and a choice that does not fit is skipped', async () => {
    declare([1, 2, 4])
    const {keep, loadInventory} = await import('../../src/index.js')
    const inventory = loadInventory({file: fleet().clientsConf, sshConfig: fleet().sshConfig, env: fleet().env()})
    const seen: Array<Array<[string, null | number]>> = []
    const lines: string[] = []
    const controller = new AbortController()
    const kept = keep({
      inventory,
      env: fleet().env(),
      stateDir,
      count: 2,
      cpus: 1,
      command: 'sleep 300',
      project: 'rl',
      interval: 1,
      grace: 1,
      stopOnExit: true,
      signal: controller.signal,
      onLog: (line) => lines.push(line),
      hooks: {
        // Both on host 1, which has one cpu: the second must not start there.
        place(_hosts, _tasks, request) {
          seen.push((request.offers ?? []).map((o) => [o.host, o.cpus]))
          return Array.from({length: request.count}, () => '127.0.1.1')
        },
      },
    })
    try {
      assert.ok(
        await waitFor(() => lines.some((line) => / start t-\S+ @127\.0\.1\.1 /.test(line)) && seen.length >= 2, 20_000),
        lines.join('\n'),
      )
      assert.deepEqual(perHost(), [1, 0, 0])
      assert.deepEqual(seen[0], [
        ['127.0.1.1', 1],
        ['127.0.1.2', 2],
        ['127.0.1.3', 4],
      ])
      assert.match(
        lines.join('\n'),
        /place hook chose 127\.0\.1\.1: no room, a task needs 1 cpu, it has 0 cpus, 8\.0 GiB free; skipped/,
      )
    } finally {
      controller.abort()
      await kept
    }

    assert.deepEqual(perHost(), [0, 0, 0])
  })

  test('--mem against memory declared in the inventory (it wins over the file); fractions of cpus', async () => {
    declare([1, 2, 4])
    const clients = fleet().writeClientsConf(
      ['127.0.1.1 mem=1G', '127.0.1.2 mem=1G cpus=0.5', '127.0.1.3 mem=2GiB'],
      'clients-resources.conf',
    )
    const env = {DIRECTOR_CLIENTS: clients}
    const mem = await runCliJson<StartReport>(start('rm', ['--count', '6', '--mem', '600M']), options(env))
    assert.equal(mem.code, 1, mem.stderr)
    assert.deepEqual(perHost(), [1, 1, 3])
    assert.equal(mem.json.unplaced.length, 1)
    assert.equal(mem.json.unplaced[0]?.best?.host, '127.0.1.1')
    assert.equal(mem.json.unplaced[0]?.message, 'needs 600.0 MiB; best host 127.0.1.1 has 1 cpu, 424.0 MiB free')

    // Host 2 is declared half a cpu: two quarters fit, a third does not.
    const quarters = ['--count', '3', '--cpus', '0.25', '--limit', '127.0.1.2']
    const fractions = await runCliJson<StartReport>(start('rf', quarters), options(env))
    assert.equal(fractions.code, 1, fractions.stderr)
    assert.deepEqual([fractions.json.started.length, fractions.json.unplaced.length], [2, 1])
    assert.deepEqual(perHost(), [1, 3, 3])
    const status = await runCliJson<StatusReport>(['status', '--resources', '--no-icmp'], options(env))
    const second = status.json.hosts[1]?.ssh
    assert.ok(second?.ok && second.resources?.ok, JSON.stringify(second))
    assert.deepEqual(
      [second.resources.value.cpus, second.resources.value.cpusFrom, second.resources.value.memFrom],
      [0.5, 'inventory', 'inventory'],
    )
    assert.deepEqual(second.resources.value.reserved, {cpus: 0.5, mem: 600 * 1024 ** 2, tasks: 3})
    await stopProject('rm')
    await stopProject('rf')
  })

  test('a host whose nproc and /proc files cannot be read says n/a and gets a task only when none is asked for', async () => {
    // What this exercises: ~/.fleet-bin wrappers make `nproc` fail and `cat` refuse /proc/*, as
    // on a host without them; the host's kernel still has /proc (the task scripts read it).
    const bin = fleet().writeHomeFile(3, '.fleet-bin/nproc', '#!/bin/sh\nexit 1\n', 0o755)
    fleet().writeHomeFile(
      3,
      '.fleet-bin/cat',
      '#!/bin/sh\nfor a in "$@"; do case $a in /proc/*) echo "cat: $a: No such file" >&2; exit 1 ;; esac; done\nexec /bin/cat "$@"\n',
      0o755,
    )
    rmSync(join(fleet().host(3).home, 'director', 'resources'), {force: true})
    try {
      const limit = ['--limit', '127.0.1.3']
      const status = await runCliJson<StatusReport>(['status', '--resources', '--no-icmp', ...limit], options())
      assert.equal(status.code, 0)
      const ssh = status.json.hosts[0]?.ssh
      assert.ok(ssh?.ok && ssh.resources?.ok, JSON.stringify(ssh))
      const r = ssh.resources.value
      assert.deepEqual([r.cpus, r.load, r.mem, r.memAvailable], [null, null, null, null])
      assert.ok(r.diskFree !== null && r.diskFree > 0)
      const text = await runCli(['status', '--resources', '--no-icmp', ...limit], options())
      assert.match(text.stdout, /^127\.0\.1\.3 +n\/a +n\/a +n\/a +n\/a +\d+\.\d GiB +-$/m)

      const asked = await runCliJson<StartReport>(start('rn', ['--cpus', '1', ...limit]), options())
      assert.equal(asked.code, 1)
      assert.equal(asked.json.started.length, 0)
      assert.match(asked.json.unplaced[0]?.message ?? '', /^needs 1 cpu; no host says what it has free/)
      assert.deepEqual(taskIdsOn(fleet(), 3), [])

      const plain = await runCliJson<StartReport>(start('rn', limit), options())
      assert.equal(plain.code, 0, plain.stderr)
      assert.equal(taskIdsOn(fleet(), 3).length, 1)
      await stopProject('rn')
    } finally {
      rmSync(join(bin, '..'), {recursive: true, force: true})
    }
  })

  test('keep 6 --cpus 1 on 2+2+4 cpus: a killed task is replaced where a cpu is free', async () => {
    declare([2, 2, 4])
    const capacity = [2, 2, 4]
    const args = ['keep', '6', '-c', 'sleep 300', '--cpus', '1', '--project', 'rk', '--interval', '1']
    const keep = startCli([...args, '--state-dir', stateDir], fleet().env())
    try {
      // Its first cycle done (six start lines), and the six tasks there on the hosts.
      const starts = (): number =>
        keep
          .output()
          .split('\n')
          .filter((line) => / start t-\S+ @/.test(line)).length
      const six = await waitFor(() => starts() === 6 && perHost().reduce((a, b) => a + b, 0) === 6, 30_000)
      assert.ok(six, keep.output())
      const before = perHost()
      assert.ok(
        before.every((n, i) => n <= (capacity[i] ?? 0)),
        `within capacity: ${before.join('/')}`,
      )
      const full = before.findIndex((n, i) => n === capacity[i]) + 1
      assert.ok(full > 0, `a full host: ${before.join('/')}`)
      const victim = taskIdsOn(fleet(), full)[0] ?? assert.fail('a task on the full host')
      const record = readRecords(stateDir).find((r) => r.id === victim) ?? assert.fail(`no record of ${victim}`)
      // Its command dies; the wrapper (the group's leader) records the exit: the task failed.
      for (const member of fleet().processesOn(full))
        if (member.hostPgid === record.pgid && member.hostPid !== record.pgid) process.kill(member.pid, 'SIGKILL')
      const replaced = await waitFor(() => {
        const now = perHost()
        const gone = ![1, 2, 3].some((i) => taskIdsOn(fleet(), i).includes(victim))
        return starts() === 7 && gone && now.reduce((a, b) => a + b, 0) === 6
      }, 30_000)
      assert.ok(replaced, keep.output())
      const after = perHost()
      assert.ok(
        after.every((n, i) => n <= (capacity[i] ?? 0)),
        `within capacity: ${after.join('/')}`,
      )
      // Away from the host it failed on, onto one that had a cpu free.
      assert.equal(after[full - 1], (before[full - 1] ?? 0) - 1, `${before.join('/')} -> ${after.join('/')}`)
      assert.match(keep.output(), /offer @127\.0\.1\.\d: 1 cpu, 8\.0 GiB free; placing 1/)
    } finally {
      keep.child.kill('SIGTERM')
      await keep.exited
      await stopProject('rk')
    }
  })

  test('--cpus and --mem mistakes are usage errors (exit 2), nothing runs', async () => {
    for (const flags of [['--cpus=-1'], ['--cpus', 'two'], ['--mem', '8X'], ['--mem', '512']]) {
      const result = await runCli(start('ru', flags), options())
      assert.equal(result.code, 2, `${flags.join(' ')}: ${result.stderr}`)
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr)
    }

    assert.deepEqual(perHost(), [0, 0, 0])
  })
})
