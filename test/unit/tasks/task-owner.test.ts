import assert from 'node:assert/strict'
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'

import type {HostIdentity} from '../../../src/core/tasks/task-state.js'
import type {TaskRecord} from '../../../src/core/tasks/task-store.js'

import {readProcStat} from '../../../src/core/local/process-info.js'
import {IDENTITY_FUNCTIONS} from '../../../src/core/remote/proc-shell.js'
import {parseTaskListing} from '../../../src/core/tasks/parse-task-listing.js'
import {stopTaskScript} from '../../../src/core/tasks/stop-script.js'
import {sandboxOwnership} from '../../../src/core/tasks/task-owner.js'
import {listTasksScript} from '../../../src/core/tasks/task-scripts.js'
import {buildTaskViews, foreignSandboxes} from '../../../src/core/tasks/task-view.js'
import {isAlive} from '../../helpers/processes.js'

const self: HostIdentity = {machine: 'm1', boot: 'b1'}
const owner = (host: string, machine = 'm1', boot = 'b1') => ({host, machine, boot})
const record = (id: string, host: string, extra: Partial<TaskRecord> = {}): TaskRecord => ({
  id,
  project: 'p',
  host,
  remoteRoot: '~/director',
  pid: 10,
  pgid: 9,
  startTime: '500',
  startedAt: '2026-11-23T15:50:01Z',
  command: 'sleep 300',
  ...extra,
})

describe('sandboxOwnership', () => {
  const id = 't-20261123155001-aaaa'
  const cases: Array<[string, Parameters<typeof sandboxOwnership>, string]> = [
    ['owner: this name, machine and boot', [{id, legacy: false, owner: owner('a')}, 'a', self, undefined], 'own'],
    ['owner: another inventory name', [{id, legacy: false, owner: owner('b')}, 'a', self, undefined], 'other'],
    [
      'owner: this name, another machine',
      [{id, legacy: false, owner: owner('a', 'm2')}, 'a', self, undefined],
      'other',
    ],
    [
      'owner: this name and machine, another boot',
      [{id, legacy: false, owner: owner('a', 'm1', 'b0')}, 'a', self, undefined],
      'rebooted',
    ],
    ['owner file wins over the record', [{id, legacy: false, owner: owner('b')}, 'a', self, record(id, 'a')], 'other'],
    [
      'no owner yet, in the host folder (being started)',
      [{id, legacy: false, owner: undefined}, 'a', self, undefined],
      'own',
    ],
    ['older layout, recorded on this host', [{id, legacy: true, owner: undefined}, 'a', self, record(id, 'a')], 'own'],
    [
      'older layout, recorded on another host',
      [{id, legacy: true, owner: undefined}, 'a', self, record(id, 'b')],
      'other',
    ],
    ['older layout, no record', [{id, legacy: true, owner: undefined}, 'a', self, undefined], 'unclaimed'],
    [
      'older layout, recorded here on another machine',
      [{id, legacy: true, owner: undefined}, 'a', self, record(id, 'a', {machine: 'm2', boot: 'b1'})],
      'other',
    ],
    [
      'an older host script (no identity)',
      [{id, legacy: false, owner: owner('a', 'm9')}, 'a', undefined, undefined],
      'own',
    ],
  ]
  for (const [name, args, kind] of cases)
    it(`${name} -> ${kind}`, () => assert.equal(sandboxOwnership(...args).kind, kind))
})

describe('parseTaskListing: identity, owner, older layout', () => {
  it('reads self, the owner lines and the legacy mark', () => {
    const text = [
      'clock 1795449060',
      'self machine m1',
      'self boot b1',
      'task t-20261123155001-aaaa',
      'project p',
      'owner host admin@node:22',
      'owner machine m1',
      'owner boot b1',
      'task t-20261123155002-bbbb',
      'legacy',
      'project p',
      'task t-20261123155003-cccc',
      'owner host a',
      '',
    ].join('\n')
    const listing = parseTaskListing(text)
    assert.deepEqual(listing.self, self)
    assert.deepEqual(
      listing.tasks.map((t) => [t.id, t.owner, t.legacy]),
      [
        ['t-20261123155001-aaaa', owner('admin@node:22'), false],
        ['t-20261123155002-bbbb', undefined, true],
        // Half an owner file says nothing.
        ['t-20261123155003-cccc', undefined, false],
      ],
    )
  })

  it('reads what a task asked for from its resources line; a bad one is no request', () => {
    const text = ['task t-1', 'resources cpus=0.5 mem=1073741824B', 'task t-2', 'resources cpus=lots', ''].join('\n')
    assert.deepEqual(
      parseTaskListing(text).tasks.map((t) => t.request),
      [{cpus: 0.5, mem: 1024 ** 3}, undefined],
    )
  })
})

describe('buildTaskViews: only a host own sandboxes', () => {
  const listing = (lines: string[]) => parseTaskListing(['self machine m1', 'self boot b1', ...lines].join('\n'))
  const sandbox = (id: string, host: string, [machine, boot, ...extra]: string[] = ['m1', 'b1']) => [
    `task ${id}`,
    'project p',
    'pid 10',
    'pgid 9',
    'start_time 500',
    ...extra,
    `owner host ${host}`,
    `owner machine ${machine}`,
    `owner boot ${boot}`,
    'proc S 9 500',
    'lead S 9 499',
  ]

  it('lists its own, never loses what another host or machine owns, says what it left alone', () => {
    const answer = listing([
      ...sandbox('t-1', 'a'),
      ...sandbox('t-2', 'a', ['m2', 'b1']),
      ...sandbox('t-3', 'a', ['m1', 'b0']),
      ...sandbox('t-4', 'a', ['m1', 'b0', 'exit_code 0']),
      'task t-5',
      'legacy',
      'project p',
      'task t-6',
      'legacy',
      'project p',
      'pid 10',
      'pgid 9',
      'start_time 500',
      'proc S 9 500',
    ])
    const records = [record('t-1', 'a'), record('t-2', 'a'), record('t-6', 'a'), record('t-7', 'a')]
    const views = buildTaskViews([{host: 'a', ok: true, listing: answer}], records)
    assert.deepEqual(
      views.map((v) => [v.id, v.state, v.reason]),
      [
        ['t-1', 'running', null],
        ['t-3', 'lost', 'the host rebooted after it started (boot id differs)'],
        ['t-4', 'finished', null],
        ['t-6', 'running', null],
        ['t-7', 'lost', 'its sandbox is gone'],
      ],
    )
    assert.deepEqual(foreignSandboxes([{host: 'a', ok: true, listing: answer}], records), [
      {host: 'a', id: 't-2', owner: 'a on machine m2'},
      {host: 'a', id: 't-5', owner: null},
    ])
  })
})

describe('stopTaskScript checks the identity on the host before any kill (run here with sh)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'director-stop-script-'))
  const children: number[] = []

  after(() => {
    for (const pid of children)
      try {
        process.kill(-pid, 'SIGKILL')
      } catch {}

    rmSync(dir, {recursive: true, force: true})
  })

  const here = ((): HostIdentity => {
    const out = spawnSync(
      '/bin/sh',
      ['-c', `${IDENTITY_FUNCTIONS}\nread_identity\nprintf '%s\\n%s\\n' "$me_m" "$me_b"`],
      {
        encoding: 'utf8',
      },
    ).stdout.split('\n')
    return {machine: out[0] ?? '', boot: out[1] ?? ''}
  })()

  /** A live process group of its own, as a task's, and its sandbox with the owner given. */
  const fakeTask = (name: string, ownerText: string | undefined) => {
    const child = spawn('sleep', ['300'], {detached: true, stdio: 'ignore'})
    const pid = child.pid ?? assert.fail('no pid')
    children.push(pid)
    const sandbox = join(dir, name)
    mkdirSync(sandbox)
    if (ownerText !== undefined) writeFileSync(join(sandbox, 'owner'), ownerText)
    const startTime = readProcStat(pid)?.startTime ?? assert.fail('no stat')
    return {pid, sandbox, expected: {pid, pgid: pid, startTime: String(startTime), host: 'a'}}
  }

  const stop = (sandbox: string, expected: Parameters<typeof stopTaskScript>[1]): string =>
    spawnSync('/bin/sh', ['-c', stopTaskScript(sandbox, expected, 1)], {encoding: 'utf8'}).stdout.trim()

  const cases: Array<[string, string | undefined, Partial<Parameters<typeof stopTaskScript>[1]>, string]> = [
    ['another machine in the owner file', `host a\nmachine other\nboot ${here.boot}\n`, {}, 'foreign'],
    ['another inventory name in the owner file', `host b\nmachine ${here.machine}\nboot ${here.boot}\n`, {}, 'foreign'],
    ['an earlier boot in the owner file', `host a\nmachine ${here.machine}\nboot old\n`, {}, 'rebooted'],
    ['ownerless, the record says another machine', undefined, {machine: 'other'}, 'foreign'],
    ['ownerless, the record says an earlier boot', undefined, {machine: here.machine, boot: 'old'}, 'rebooted'],
  ]
  for (const [name, ownerText, extra, outcome] of cases)
    it(`${name}: ${outcome}, nothing signalled`, () => {
      const task = fakeTask(`s${children.length}`, ownerText)
      assert.equal(stop(task.sandbox, {...task.expected, ...extra}), outcome)
      assert.ok(isAlive(task.pid), 'the process was not signalled')
      assert.equal(existsSync(join(task.sandbox, 'killed')), false, 'no killed marker either')
    })

  it('its own (this name, machine and boot): stopped', () => {
    const task = fakeTask('mine', `host a\nmachine ${here.machine}\nboot ${here.boot}\n`)
    assert.equal(stop(task.sandbox, {...task.expected, ...here}), 'stopped')
    assert.equal(isAlive(task.pid), false)
    assert.equal(existsSync(join(task.sandbox, 'killed')), true)
  })

  it('ownerless and an older record without identity: the pid checks alone decide', () => {
    const task = fakeTask('old', undefined)
    assert.equal(stop(task.sandbox, task.expected), 'stopped')
    assert.equal(isAlive(task.pid), false)
  })
})

describe('listTasksScript reads one host folder and the older layout, never another host folder (run here with sh)', () => {
  const root = mkdtempSync(join(tmpdir(), 'director-list-script-'))

  after(() => rmSync(root, {recursive: true, force: true}))

  it('lists alias-a/ and tasks/<id>/ (marked legacy), not alias-b/ nor a host folder named t-...', () => {
    const tasks = join(root, 'tasks')
    const sandbox = (path: string, project = 'p'): void => {
      mkdirSync(path, {recursive: true})
      writeFileSync(join(path, 'project'), `${project}\n`)
    }

    sandbox(join(tasks, 'alias-a', 't-20261123155001-aaaa'))
    writeFileSync(join(tasks, 'alias-a', 't-20261123155001-aaaa', 'owner'), 'host alias-a\nmachine m\nboot b\n')
    sandbox(join(tasks, 'alias-b', 't-20261123155002-bbbb'))
    sandbox(join(tasks, 't-20261123155003-cccc'))
    // A host whose inventory name looks like a task id: its folder is no sandbox of the older layout.
    sandbox(join(tasks, 't-host', 't-20261123155004-dddd'))
    const out = spawnSync('/bin/sh', ['-c', listTasksScript(root, 'alias-a')], {encoding: 'utf8'})
    assert.equal(out.status, 0, out.stderr)
    const listing = parseTaskListing(out.stdout)
    assert.ok(listing.self !== undefined && listing.self.machine !== '', 'the host says who it is')
    assert.deepEqual(
      listing.tasks.map((t) => [t.id, t.legacy, t.owner?.host]),
      [
        ['t-20261123155001-aaaa', false, 'alias-a'],
        ['t-20261123155003-cccc', true, undefined],
      ],
    )
  })
})
