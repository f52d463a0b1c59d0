import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import type {DataReport} from '../../src/core/data/types.js'
import type {MkdirReport} from '../../src/core/mkdir/mkdir-on-hosts.js'
import type {RunOnFleetReport} from '../../src/core/run/run-on-fleet.js'
import type {StatusReport} from '../../src/core/status/check-status.js'
import type {TaskListReport} from '../../src/core/tasks/types.js'

import {type Fleet, startFleet} from '../../fixtures/fleet/fleet.js'
import {runCli, runCliJson} from '../helpers/cli.js'
import {type DataSet, writeDataSet} from '../helpers/data-set.js'
import {repoRoot} from '../helpers/paths.js'
import {waitFor} from '../helpers/wait.js'

// The fleet's shared-home mode: four addresses, one user, one home, one sshd (as NFS homes).
describe('a fleet whose 4 hosts share one home folder', () => {
  let fleet: Fleet
  let work: string
  const home = (): string => fleet.host(1).home
  const addresses = (): string[] => fleet.hosts.map((host) => host.address)

  before(async () => {
    fleet = await startFleet({hosts: 4, sharedHome: true})
    work = mkdtempSync(join(tmpdir(), 'director-shared-home-'))
    // The address each host was reached on: the third word of SSH_CONNECTION.
    writeFileSync(
      join(work, 'who.sh'),
      '#!/bin/sh\necho "$SSH_CONNECTION" | cut -d" " -f3 > "$DIRECTOR_OUTPUT/who.txt"\n',
    )
    chmodSync(join(work, 'who.sh'), 0o755)
  })

  after(async () => {
    await fleet?.down()
    rmSync(work, {recursive: true, force: true})
  })

  const env = (): Record<string, string> => fleet.env()

  /** Each host's who.txt, as brought back by a run. */
  const whoOf = (report: RunOnFleetReport): string[] =>
    report.hosts.map((host) => readFileSync(join(host.folder, 'files', 'who.txt'), 'utf8').trim())

  test('run ./who.sh: 4 right, separate outputs, twice in a row and two runs of one project at once', async () => {
    const args = ['run', join(work, 'who.sh'), '--project', 'who', '--out', join(work, 'out')]
    for (let round = 0; round < 2; round++) {
      const {code, json, stderr} = await runCliJson<RunOnFleetReport>(args, {env: env()})
      assert.equal(code, 0, stderr)
      assert.deepEqual(whoOf(json), addresses())
    }

    const [a, b] = await Promise.all([
      runCliJson<RunOnFleetReport>(args, {env: env()}),
      runCliJson<RunOnFleetReport>(args, {env: env()}),
    ])
    for (const side of [a, b]) {
      assert.equal(side.code, 0, side.stderr)
      assert.deepEqual(whoOf(side.json), addresses())
    }
  })

  test('mkdir: the first host created it, the others found it: every host succeeds', async () => {
    const {code, json} = await runCliJson<MkdirReport>(['mkdir', '~', 'made-once'], {env: env()})
    assert.equal(code, 0)
    assert.deepEqual([json.created, json.exists, json.failed], [1, 3, 0])
    assert.ok(existsSync(join(home(), 'made-once')))
  })

  test('status -v names the hosts that share the home', async () => {
    const {code, stderr} = await runCli(['status', '--no-icmp', '-v'], {env: env()})
    assert.equal(code, 0)
    assert.match(stderr, /^shared home: 127\.0\.1\.\[1-4\] see one home folder/m)
    const {json} = await runCliJson<StatusReport>(['status', '--no-icmp'], {env: env()})
    assert.equal(json.sharedHomes, undefined, 'asked for only with -v')
  })

  test('task start --count 4 lists exactly 4 running', async () => {
    const stateDir = join(work, 'state')
    const task = (args: string[]): string[] => ['task', ...args, '--project', 'four', '--state-dir', stateDir]
    try {
      assert.equal((await runCli(task(['start', '-c', 'exec sleep 300', '--count', '4']), {env: env()})).code, 0)
      const {json} = await runCliJson<TaskListReport>(task(['list']), {env: env()})
      assert.deepEqual(
        json.tasks.map((t) => [t.host, t.state]),
        addresses().map((address) => [address, 'running']),
      )
      const live = fleet
        .processesOn(1)
        .filter((p) => p.command === 'sleep 300' && p.environ.includes('DIRECTOR_PROJECT=four'))
      assert.equal(live.length, 4)
    } finally {
      await runCli(task(['stop', '--grace', '1']), {env: env()})
    }
  })

  /** Every file of the set once in the shared data folder, md5-equal; none left locally, no part left. */
  const assertOnceInShared = (dir: string, project: string, set: DataSet): void => {
    const root = join(home(), 'director', 'data', project)
    for (const [rel] of set) {
      assert.ok(existsSync(join(root, rel)), `${rel} is not in the shared folder`)
      assert.equal(existsSync(join(dir, rel)), false, `${rel} is still local`)
    }

    assert.deepEqual(
      readdirSync(root).filter((name) => name.startsWith('.director-part-')),
      [],
      'parts left in the shared folder',
    )
  }

  test('data of 400 files: each once in the shared folder, md5-equal, sources deleted', async () => {
    const dir = join(work, 'data1')
    const set = writeDataSet(dir, Object.fromEntries(Array.from({length: 400}, (_, i) => [`tweet_${i + 1}.txt`, 1024])))
    const {code, json} = await runCliJson<DataReport>(['data', dir, 'shared1'], {env: env()})
    assert.equal(code, 0)
    assert.equal(json.delivered, 400)
    assertOnceInShared(dir, 'shared1', set)
    const {createHash} = await import('node:crypto')
    for (const [rel, md5] of set) {
      const copy = readFileSync(join(home(), 'director', 'data', 'shared1', rel))
      assert.equal(createHash('md5').update(copy).digest('hex'), md5, rel)
    }
  })

  test('data killed with SIGKILL mid-run, then re-run: every file once in the shared folder', async () => {
    const dir = join(work, 'data2')
    const files = {
      ...Object.fromEntries(Array.from({length: 40}, (_, i) => [`tweet_${i + 1}.txt`, 2048])),
      'big_1.gz': 32 * 1024 * 1024,
      'big_2.gz': 32 * 1024 * 1024,
    }
    const set = writeDataSet(dir, files)
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), 'data', dir, 'shared2'], {
      env: {...process.env, ...env()},
      stdio: 'ignore',
    })
    const exited = new Promise((resolve) => {
      child.on('close', resolve)
    })
    const root = join(home(), 'director', 'data', 'shared2')
    const uploading = await waitFor(
      () => existsSync(root) && readdirSync(root).some((name) => name.startsWith('.director-part-')),
      20_000,
      20,
    )
    assert.ok(uploading, 'no upload started')
    child.kill('SIGKILL')
    await exited
    // Now: each file local or in the shared folder (or both, if it was moved but not yet recorded).
    for (const [rel] of set) assert.ok(existsSync(join(dir, rel)) || existsSync(join(root, rel)), `${rel} is lost`)
    const again = await runCliJson<DataReport>(['data', dir, 'shared2'], {env: env()})
    assert.equal(again.code, 0, again.stderr)
    assertOnceInShared(dir, 'shared2', set)
  })
})
