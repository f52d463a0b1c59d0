import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {TaskView} from '../../../src/core/tasks/task-view.js'

import {parseTaskListing} from '../../../src/core/tasks/parse-task-listing.js'
import {planReconcile} from '../../../src/core/tasks/plan-reconcile.js'
import {planTaskPlacement} from '../../../src/core/tasks/plan-task-placement.js'
import {isTaskId, makeTaskId} from '../../../src/core/tasks/task-id.js'
import {deriveTaskState, killSignal, type SandboxFields} from '../../../src/core/tasks/task-state.js'
import {taskView} from '../../helpers/task-view.js'

const base: SandboxFields = {
  id: 't-20261123155001-4f2a',
  project: 'p',
  pid: 10,
  pgid: 9,
  startTime: '500',
  exitCode: undefined,
  killed: false,
  killedAt: undefined,
  signal: undefined,
  startedAt: '2026-11-23T15:50:01Z',
  endedAt: undefined,
  alive: true,
  wrapperAlive: true,
  owner: undefined,
  legacy: false,
}

describe('makeTaskId', () => {
  it('is t-<utc second>-<4 hex>, sortable, and recognised', () => {
    const id = makeTaskId(new Date('2026-11-23T15:50:01.999Z'), '4f2a')
    assert.equal(id, 't-20261123155001-4f2a')
    assert.ok(isTaskId(id))
    assert.ok(makeTaskId(new Date('2026-11-23T15:50:02Z'), '0000') > id)
    for (const bad of ['t-1-4f2a', '../x', 't-20261123155001-4f2a/..', '']) assert.equal(isTaskId(bad), false)
  })
})

describe('deriveTaskState', () => {
  const cases: Array<[string, Partial<SandboxFields>, string]> = [
    ['alive', {}, 'running'],
    ['exit 0', {exitCode: 0, alive: false, wrapperAlive: false}, 'finished'],
    ['exit 3', {exitCode: 3, alive: false, wrapperAlive: false}, 'failed'],
    ['signal (128+15)', {exitCode: 143, alive: false, wrapperAlive: false}, 'failed'],
    ['killed marker wins over an exit code', {killed: true, exitCode: 143}, 'killed'],
    ['killed, no exit code', {killed: true, alive: false, wrapperAlive: false}, 'killed'],
    ['pid gone, no exit code', {alive: false, wrapperAlive: false}, 'lost'],
    ['pid gone, wrapper about to write the exit code', {alive: false, wrapperAlive: true}, 'running'],
    ['no pid yet, wrapper running', {pid: undefined, alive: false}, 'staging'],
    ['no pid, no wrapper', {pid: undefined, alive: false, wrapperAlive: false}, 'lost'],
  ]
  for (const [name, fields, state] of cases)
    it(`${name} -> ${state}`, () => assert.equal(deriveTaskState({...base, ...fields}), state))
})

describe('killSignal', () => {
  const cases: Array<[string, Partial<SandboxFields>, null | string]> = [
    ['killed, the wrapper saw 143', {killed: true, exitCode: 143, signal: 'TERM'}, 'SIGTERM'],
    ['killed, the wrapper saw 137', {killed: true, exitCode: 137, signal: 'KILL'}, 'SIGKILL'],
    ['killed with the wrapper: the signal sent last', {killed: true, signal: 'KILL'}, 'SIGKILL'],
    ['killed, handled TERM and exited 0', {killed: true, exitCode: 0, signal: 'TERM'}, null],
    ['killed, nothing known yet', {killed: true}, null],
    ['not killed: a 143 is an exit code', {exitCode: 143}, null],
    ['an unknown signal name', {killed: true, signal: 'NOPE'}, null],
  ]
  for (const [name, fields, signal] of cases)
    it(`${name} -> ${signal}`, () => assert.equal(killSignal({...base, ...fields}), signal))
})

describe('parseTaskListing', () => {
  it('reads every sandbox and judges liveness by start time and group', () => {
    const text = [
      'clock 1795449060',
      'task t-20261123155001-aaaa',
      'project p',
      'pid 10',
      'pgid 9',
      'start_time 500',
      'started_at 2026-11-23T15:50:01Z',
      'proc S 9 500',
      'lead S 9 499',
      'task t-20261123155002-bbbb',
      'project p',
      'pid 20',
      'pgid 19',
      'start_time 600',
      'proc S 19 777',
      'task t-20261123155003-cccc',
      'pid 30',
      'pgid 29',
      'start_time 700',
      'exit_code 3',
      'ended_at 2026-11-23T15:51:00Z',
      'signal TERM',
      'killed 2026-11-23T15:50:59Z',
      'proc Z 29 700',
      'garbage line',
      '',
    ].join('\n')
    const listing = parseTaskListing(text)
    assert.equal(listing.clock, 1_795_449_060)
    assert.deepEqual(
      listing.tasks.map((t) => [t.id, t.alive, t.wrapperAlive, t.exitCode, t.killed]),
      [
        ['t-20261123155001-aaaa', true, true, undefined, false],
        // Same pid, other start time: a reused pid, not our task.
        ['t-20261123155002-bbbb', false, false, undefined, false],
        ['t-20261123155003-cccc', false, false, 3, true],
      ],
    )
    assert.equal(listing.tasks[2]?.project, undefined)
    assert.deepEqual(
      [listing.tasks[2]?.endedAt, listing.tasks[2]?.killedAt, listing.tasks[2]?.signal],
      ['2026-11-23T15:51:00Z', '2026-11-23T15:50:59Z', 'TERM'],
    )
    assert.equal(parseTaskListing('task t-1\nkilled\n').tasks[0]?.killedAt, undefined, 'an old, empty marker')
  })

  it('takes an empty output as no tasks and half-written files as unknown', () => {
    assert.deepEqual(parseTaskListing(''), {clock: undefined, self: undefined, tasks: []})
    const [task] = parseTaskListing('task t-1\npid x\nstart_time 12a\n').tasks
    assert.equal(task?.pid, undefined)
    assert.equal(task?.startTime, undefined)
  })
})

describe('planTaskPlacement', () => {
  const hosts = ['a', 'b', 'c']
  const cases: Array<[string, Record<string, number>, number, string[], Record<string, number>]> = [
    ['spreads evenly', {}, 6, [], {a: 2, b: 2, c: 2}],
    ['fills the emptiest first', {a: 2, b: 1}, 2, [], {b: 1, c: 1}],
    ['ties go to the earlier host', {}, 1, [], {a: 1}],
    ['avoids a host while another is left', {b: 5, c: 5}, 2, ['a'], {b: 1, c: 1}],
    ['uses an avoided host when it is the only one', {}, 2, ['a', 'b', 'c'], {a: 1, b: 1}],
    ['nothing to place', {}, 0, [], {}],
  ]
  for (const [name, running, count, avoid, expected] of cases)
    it(name, () => {
      const placed = planTaskPlacement(hosts, new Map(Object.entries(running)), count, new Set(avoid))
      assert.deepEqual(Object.fromEntries(placed), expected)
    })

  it('places nothing without hosts', () => assert.deepEqual(planTaskPlacement([], new Map(), 3).size, 0))
})

describe('planReconcile', () => {
  const view = (id: string, host: string, state: TaskView['state']): TaskView => taskView({id, host, state})
  const always = {count: 3, restart: 'always' as const}
  const onFailure = {count: 3, restart: 'on-failure' as const}
  const cases: Array<[string, TaskView[], typeof always | typeof onFailure, string[], [number, string[], string[]]]> = [
    ['starts the missing ones', [view('t1', 'a', 'running')], always, [], [2, [], []]],
    [
      'nothing to do',
      [view('t1', 'a', 'running'), view('t2', 'b', 'running'), view('t3', 'c', 'running')],
      always,
      [],
      [0, [], []],
    ],
    [
      'replaces a failed one elsewhere',
      [view('t1', 'a', 'failed'), view('t2', 'b', 'running'), view('t3', 'c', 'running')],
      always,
      [],
      [1, ['a'], []],
    ],
    [
      'replaces a lost one elsewhere',
      [view('t1', 'a', 'lost'), view('t2', 'b', 'running'), view('t3', 'c', 'running')],
      always,
      [],
      [1, ['a'], []],
    ],
    [
      'an ended task already seen is not avoided again',
      [view('t1', 'a', 'failed'), view('t2', 'b', 'running')],
      always,
      ['t1'],
      [2, [], []],
    ],
    [
      'on-failure: a finished task is done, not replaced',
      [view('t1', 'a', 'finished'), view('t2', 'b', 'running'), view('t3', 'c', 'running')],
      onFailure,
      [],
      [0, [], []],
    ],
    [
      'always: a finished task is replaced',
      [view('t1', 'a', 'finished'), view('t2', 'b', 'running'), view('t3', 'c', 'running')],
      always,
      [],
      [1, [], []],
    ],
    [
      'stops the newest above the count',
      ['t1', 't2', 't3', 't4', 't5'].map((id) => view(id, 'a', 'running')),
      always,
      [],
      [0, [], ['t4', 't5']],
    ],
  ]
  for (const [name, observed, desired, seen, [start, avoid, stop]] of cases)
    it(name, () => {
      const plan = planReconcile(observed, desired, new Set(seen))
      assert.deepEqual([plan.start, [...plan.avoid], plan.stop], [start, avoid, stop])
    })
})
