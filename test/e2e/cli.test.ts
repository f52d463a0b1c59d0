import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {runCli, runCliJson} from '../helpers/cli.js'
import {repoRoot} from '../helpers/paths.js'

const commands = [
  'config',
  'data',
  'hosts',
  'keep',
  'list',
  'mkdir',
  'ping',
  'run',
  'shutdown_local',
  'start_local',
  'status',
]
const taskCommands = ['task start', 'task list', 'task stop', 'task logs', 'task prune']

describe('the director binary', () => {
  it('lists every command with a one-line description when run alone, and with help', async () => {
    for (const args of [[], ['help']]) {
      const {code, stdout} = await runCli(args)
      assert.equal(code, 0)
      assert.match(stdout, /^ {2}\$ director status$/m)
      for (const command of [...commands, 'task']) assert.match(stdout, new RegExp(`^  ${command} +\\S`, 'm'), command)
    }
  })

  it('gives every command a --help with examples', async () => {
    for (const command of [...commands, ...taskCommands]) {
      const {code, stdout} = await runCli([...command.split(' '), '--help'])
      assert.equal(code, 0, command)
      assert.match(stdout, /^EXAMPLES$/m, `${command} --help has no examples`)
      assert.match(stdout, new RegExp(`\\$ director ${command}`), command)
    }
  })

  it('prints its version in oclif format', async () => {
    const {version} = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {version: string}
    const {code, stdout} = await runCli(['--version'])
    assert.equal(code, 0)
    assert.equal(stdout, `director/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
  })

  it('accepts start-local and shutdown-local as aliases', async () => {
    for (const alias of ['start-local', 'shutdown-local']) {
      const {code, stdout} = await runCli([alias, '--help'])
      assert.equal(code, 0)
      assert.match(stdout, /local mode/)
    }
  })

  it('rejects an unknown flag in one line with exit 2', async () => {
    const {code, stdout, stderr} = await runCli(['status', '--bogus'])
    assert.equal(code, 2)
    assert.equal(stdout, '')
    assert.equal(stderr, 'Error: Nonexistent flag: --bogus (see --help)\n')
  })

  const DURATION_FORMS = 'a number and a unit: 500ms, 30s, 1m30s, 12h, 7d; a bare number is seconds'
  const taskList = 'task commands: task list, task logs, task prune, task start, task stop'
  const usageMistakes: Array<[string[], string]> = [
    [
      ['status', '-f', '0'],
      '--concurrency: expected an integer greater than or equal to 1 but received: 0 (see --help)',
    ],
    [
      ['run', '-c', 'true', '--timeout', '0'],
      '--timeout: "0" is no time at all: give a duration above 0, e.g. 30s (see --help)',
    ],
    [['run', '-c'], 'Flag --command expects a value (see --help)'],
    [
      ['run', '-c', 'true', '--timeout', '10sec'],
      `--timeout: "10sec" is not a duration (${DURATION_FORMS}) (see --help)`,
    ],
    [
      ['ping', '--timeout', '3000'],
      '--timeout: "3000" is 3000 seconds (it used to mean milliseconds): write the unit, e.g. 3000ms or 3s (see --help)',
    ],
    [['status', '--retries', 'x'], '--retries: expected an integer but received: x (see --help)'],
    [
      ['status', '--host-key-check', 'maybe'],
      'Expected --host-key-check=maybe to be one of: strict, accept-new, off (see --help)',
    ],
    [
      ['run', '-c', 'true', '--stream', '--gather'],
      '--gather=true cannot also be provided when using --stream (see --help)',
    ],
    [['mkdir'], 'Missing 2 required args: path, dirName (see --help)'],
    [['task', 'foo'], `unknown command "task foo" (${taskList})`],
    [['task', 'strat', '-c', 'x'], `unknown command "task strat": did you mean "task start"? (${taskList})`],
    [['stauts'], 'unknown command "stauts": did you mean "status"? (see director --help)'],
    [['xyzzy'], 'unknown command "xyzzy" (see director --help)'],
    [['status', 'now'], 'unexpected argument "now" to "status" (see director status --help)'],
    [
      ['-v', 'status'],
      '"-v" comes before the command: the command comes first, then its flags, e.g. "director status -v"',
    ],
  ]

  it('prints every flag, argument and command mistake as one line with exit 2, nothing on stdout', async () => {
    for (const [args, message] of usageMistakes) {
      const {code, stdout, stderr} = await runCli(args)
      assert.deepEqual({code, stdout, stderr}, {code: 2, stdout: '', stderr: `Error: ${message}\n`}, args.join(' '))
    }
  })

  it('answers help on a mistyped command like the command itself: one line, exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [['help', 'stauts'], 'unknown command "stauts": did you mean "status"? (see director --help)'],
      [['stauts', '--help'], 'unknown command "stauts": did you mean "status"? (see director --help)'],
      [['help', 'task', 'strat'], `unknown command "task strat": did you mean "task start"? (${taskList})`],
    ]
    for (const [args, message] of cases) {
      const {code, stdout, stderr} = await runCli(args)
      assert.deepEqual({code, stdout, stderr}, {code: 2, stdout: '', stderr: `Error: ${message}\n`}, args.join(' '))
    }
  })

  it('gives the same mistakes as the --json error document with exitCode 2', async () => {
    for (const [args, message] of usageMistakes) {
      const {code, json, stderr} = await runCliJson<{error: unknown}>(args)
      assert.equal(code, 2, args.join(' '))
      assert.equal(stderr, '', args.join(' '))
      assert.deepEqual(json, {error: {kind: 'usage', message, exitCode: 2}}, args.join(' '))
    }
  })
})
