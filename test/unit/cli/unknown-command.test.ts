import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {editDistance, nearestName, unknownCommandMessage} from '../../../src/cli/unknown-command.js'

const known = {
  commands: [
    'config',
    'data',
    'hosts',
    'keep',
    'run',
    'start_local',
    'start-local',
    'status',
    'task:list',
    'task:logs',
    'task:start',
    'task:stop',
  ],
  topics: ['status', 'task'],
}
const taskList = 'task commands: task list, task logs, task start, task stop'

describe('unknownCommandMessage', () => {
  const cases: Array<[string, string]> = [
    ['stauts', 'unknown command "stauts": did you mean "status"? (see director --help)'],
    ['hots', 'unknown command "hots": did you mean "hosts"? (see director --help)'],
    ['stat', 'unknown command "stat": did you mean "status"? (see director --help)'],
    ['xyzzy', 'unknown command "xyzzy" (see director --help)'],
    ['taks:list', 'unknown command "taks": did you mean "task list"? (see director --help)'],
    ['taks:nothing', 'unknown command "taks": did you mean "task"? (see director --help)'],
    ['task:foo', `unknown command "task foo" (${taskList})`],
    ['task:strat', `unknown command "task strat": did you mean "task start"? (${taskList})`],
    ['task:stpo:x', `unknown command "task stpo": did you mean "task stop"? (${taskList})`],
    ['status:foo', 'unexpected argument "foo" to "status" (see director status --help)'],
    ['task:start:a:b', 'unexpected argument "a b" to "task start" (see director task start --help)'],
  ]
  for (const [id, expected] of cases) it(id, () => assert.equal(unknownCommandMessage(id, known, 'director'), expected))

  it('says a flag before the command goes after it', () => {
    assert.equal(
      unknownCommandMessage('--json', known, 'director', ['hosts', '-v']),
      '"--json" comes before the command: the command comes first, then its flags, e.g. "director hosts --json"',
    )
    assert.equal(
      unknownCommandMessage('-v', known, 'director', []),
      '"-v" comes before the command: the command comes first, then its flags, e.g. "director status -v"',
    )
  })
})

describe('nearestName and editDistance', () => {
  it('counts a swap of neighbours as one edit', () => assert.equal(editDistance('stauts', 'status'), 1))

  it('counts inserts, deletes and replacements', () => {
    assert.equal(editDistance('', 'abc'), 3)
    assert.equal(editDistance('kitten', 'sitting'), 3)
    assert.equal(editDistance('same', 'same'), 0)
  })

  it('takes a unique prefix', () => assert.equal(nearestName('con', ['config', 'data']), 'config'))

  it('takes nothing for an ambiguous prefix far from both', () =>
    assert.equal(nearestName('sta', ['start', 'status']), undefined))

  it('takes nothing too far away', () => assert.equal(nearestName('zzzz', ['data', 'keep']), undefined))
})
