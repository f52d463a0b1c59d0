import assert from 'node:assert/strict'
// director against a fleet whose host 2 has a chatty shell rc: it prints a line to stdout and one
// to stderr before every command sshd runs (as a motd or a module system does on real clusters).
// Every command must still read its own remote output right; results are checked on the hosts.
import {mkdtempSync, readFileSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import type {StartReport, StopReport} from '../../src/core/tasks/types.js'

import {type Fleet, startFleet} from '../../fixtures/fleet/fleet.js'
import {runCli, runCliJson} from '../helpers/cli.js'
import {assertNothingLost, locate, writeDataSet} from '../helpers/data-set.js'
import {liveGroupMembersOn, tearDownTaskFleet, waitFor} from '../helpers/tasks.js'

interface StatusJson {
  hosts: Array<{host: string; on: boolean; ssh: {ok: boolean}}>
}
interface MkdirJson {
  results: Array<{host: string; ok: boolean; value?: {path: string; outcome: string}}>
}
interface RunJson {
  hosts: Array<{host: string; state: string; exitCode: null | number; folder: string}>
}
interface ListJson {
  tasks: Array<{id: string; host: string; state: string; pid?: number}>
  counts: Record<string, number>
}

describe('director on a fleet with a chatty host (host 2)', () => {
  let current: Fleet | undefined
  const work = mkdtempSync(join(tmpdir(), 'director-chatty-'))
  const stateDir = join(work, 'state')
  const fleet = (): Fleet => current ?? assert.fail('the fleet did not start')
  const options = (): {env: Record<string, string>} => ({env: fleet().env()})
  const task = (args: string[]): string[] => ['task', ...args, '--state-dir', stateDir]

  before(async () => {
    current = await startFleet({chattyHost: 2, hosts: 3})
  })

  after(async () => tearDownTaskFleet(current, {stateDir, folder: work}))

  test('status: every host on, ssh ok', async () => {
    const {code, json, stderr} = await runCliJson<StatusJson>(['status'], options())
    assert.equal(code, 0, stderr)
    assert.deepEqual(
      json.hosts.map((h) => [h.host, h.on, h.ssh.ok]),
      fleet().hosts.map((h) => [h.address, true, true]),
    )
  })

  test("run -c 'echo ok': exit 0 everywhere; the rc's words are part of host 2's stdout, as with ssh", async () => {
    const {code, json, stderr} = await runCliJson<RunJson>(
      ['run', '-c', 'echo ok', '--out', join(work, 'out')],
      options(),
    )
    assert.equal(code, 0, stderr)
    assert.deepEqual(
      json.hosts.map((h) => [h.host, h.state, h.exitCode]),
      fleet().hosts.map((h) => [h.address, 'ok', 0]),
    )
    const stdoutOf = (i: number): string => {
      const folder = json.hosts[i - 1]?.folder ?? assert.fail(`no host ${i}`)
      return readFileSync(join(folder, 'stdout'), 'utf8')
    }

    assert.equal(stdoutOf(1), 'ok\n')
    assert.equal(stdoutOf(3), 'ok\n')
    assert.match(stdoutOf(2), /^Welcome to 127\.0\.1\.2: chatty rc on stdout\nok\n$/)
  })

  test('mkdir: created on every host, then exists; the folder is on each host', async () => {
    const {code, json, stderr} = await runCliJson<MkdirJson>(['mkdir', '~', 'chatty-results'], options())
    assert.equal(code, 0, stderr)
    for (const host of fleet().hosts) {
      const path = join(host.home, 'chatty-results')
      const result = json.results.find((r) => r.host === host.address)
      assert.deepEqual(result?.value, {path, outcome: 'created'})
      assert.ok(statSync(path).isDirectory())
    }

    const again = await runCliJson<MkdirJson>(['mkdir', '~', 'chatty-results'], options())
    assert.deepEqual(
      again.json.results.map((r) => r.value?.outcome),
      ['exists', 'exists', 'exists'],
    )
  })

  test('data: 30 files, each on exactly one host with its md5, host 2 included, sources moved', async () => {
    const dir = join(work, 'data')
    const project = 'chatty'
    const files = Object.fromEntries(Array.from({length: 30}, (_, n) => [`part_${n}.txt`, 100 + n * 37]))
    const set = writeDataSet(dir, files)
    const {code, stderr} = await runCli(['data', dir, project], options())
    assert.equal(code, 0, stderr)
    assertNothingLost(fleet(), {dir, project, set})
    const where = locate(fleet(), dir, project, set)
    for (const [rel, at] of where) assert.ok(!at.local && at.hosts.length === 1, `${rel}: ${JSON.stringify(at)}`)
    for (const host of fleet().hosts)
      assert.ok(
        [...where.values()].some((at) => at.hosts.includes(host.index)),
        `host ${host.index} got files`,
      )
  })

  test('task start/list/logs/stop: 3 tasks, counted on their hosts, host 2 stopped like the others', async () => {
    const started = await runCliJson<StartReport>(
      task(['start', '--count', '3', '--project', 'ch', '-c', 'echo hello; sleep 300']),
      options(),
    )
    assert.equal(started.code, 0, started.stderr)
    assert.deepEqual(
      started.json.started.map((t) => t.host).sort(),
      fleet().hosts.map((h) => h.address),
    )
    for (const t of started.json.started)
      assert.ok(liveGroupMembersOn(fleet(), t.host, t.pgid).length >= 2, `task ${t.id} runs on ${t.host}`)

    const listed = await runCliJson<ListJson>(task(['list', '--project', 'ch']), options())
    assert.equal(listed.code, 0, listed.stderr)
    assert.equal(listed.json.counts.running, 3)
    const onTwo = started.json.started.find((t) => t.host === '127.0.1.2') ?? assert.fail('no task on host 2')
    assert.ok(
      await waitFor(async () => (await runCli(task(['logs', onTwo.id]), options())).stdout === 'hello\n', 5000),
      "the log of host 2's task is the task's output alone",
    )

    const stopped = await runCliJson<StopReport>(task(['stop', '--project', 'ch', '--grace', '1']), options())
    assert.equal(stopped.code, 0, stopped.stderr)
    assert.deepEqual(
      stopped.json.tasks.map((t) => t.outcome),
      ['stopped', 'stopped', 'stopped'],
    )
    for (const t of started.json.started)
      assert.deepEqual(liveGroupMembersOn(fleet(), t.host, t.pgid), [], `nothing of ${t.id} left on ${t.host}`)
  })
})
