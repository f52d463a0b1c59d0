import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {runCli} from '../helpers/cli.js'
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
})
