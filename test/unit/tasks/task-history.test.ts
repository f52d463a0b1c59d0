import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {TaskView} from '../../../src/core/tasks/task-view.js'

import {UsageError} from '../../../src/core/errors.js'
import {parseTaskStates, RECENT_ENDED, selectTaskHistory} from '../../../src/core/tasks/task-history.js'
import {taskView} from '../../helpers/task-view.js'

const view = (id: string, state: TaskView['state'], endedAt: null | string = null): TaskView =>
  taskView({id, state, endedAt, startedAt: '2026-11-01T00:00:00Z'})

describe('parseTaskStates', () => {
  it('reads a comma-separated list, once each', () =>
    assert.deepEqual(parseTaskStates('running, failed,running'), ['running', 'failed']))
  for (const bad of ['runing', 'running,', '', 'RUNNING'])
    it(`rejects "${bad}" in one line`, () =>
      assert.throws(
        () => parseTaskStates(bad),
        (error: unknown) =>
          error instanceof UsageError &&
          /^--state: unknown state ".*" \(states are staging, running/.test(error.message),
      ))
})

describe('selectTaskHistory', () => {
  // 12 ended a minute apart (t00 first), and two live ones in between.
  const ended = Array.from({length: 12}, (_, i) =>
    view(
      `t${String(i).padStart(2, '0')}`,
      i % 2 === 0 ? 'failed' : 'finished',
      `2026-11-02T00:${String(i).padStart(2, '0')}:00Z`,
    ),
  )
  const views = [...ended.slice(0, 5), view('t05r', 'running'), ...ended.slice(5), view('t99s', 'staging')]

  it(`shows every live task and the ${RECENT_ENDED} that ended last, in the given order`, () => {
    const {tasks, hidden} = selectTaskHistory(views, {all: false})
    assert.deepEqual(
      tasks.map((t) => t.id),
      ['t02', 't03', 't04', 't05r', 't05', 't06', 't07', 't08', 't09', 't10', 't11', 't99s'],
    )
    assert.equal(hidden, 2)
  })

  it('--all shows every one', () => assert.deepEqual(selectTaskHistory(views, {all: true}).tasks, views))

  it('a state filter applies before the cap', () => {
    const {tasks, hidden} = selectTaskHistory(views, {all: false, states: ['running', 'failed']})
    assert.deepEqual(
      tasks.map((t) => t.id),
      ['t00', 't02', 't04', 't05r', 't06', 't08', 't10'],
    )
    assert.equal(hidden, 0)
  })

  it('an end time unknown falls back to the start time', () => {
    const old = view('old', 'lost')
    const {tasks} = selectTaskHistory([old, ...ended], {all: false})
    assert.equal(tasks.includes(old), false, 'started before any of the others ended')
  })
})
