import assert from 'node:assert/strict'
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'

import type {Host} from '../../../src/core/inventory/host.js'
import type {TaskView} from '../../../src/core/tasks/task-view.js'
import type {KeepHooks} from '../../../src/core/tasks/types.js'

import {UsageError} from '../../../src/core/errors.js'
import {makeConnectOptions} from '../../../src/core/ssh/connect-options.js'
import {resolveKeepHooks} from '../../../src/core/tasks/keep-file-hooks.js'
import {placeByCount, placeTasks} from '../../../src/core/tasks/keep-hooks.js'
import {taskView} from '../../helpers/task-view.js'

const host = (name: string): Host => ({
  name,
  address: name,
  port: 22,
  user: 'u',
  identityFiles: [],
  knownHostsFiles: [],
  origin: {address: 'inventory', port: 'default', user: 'default'},
  line: 1,
})

const task = (id: string, on: string, state: TaskView['state'] = 'running'): TaskView => taskView({id, host: on, state})

describe('placeByCount (keep default placement)', () => {
  const hosts = ['a', 'b', 'c'].map((name) => host(name))
  const cases: Array<[string, TaskView[], number, string[], string[]]> = [
    ['an empty fleet gets one each, in order', [], 3, [], ['a', 'b', 'c']],
    ['the busiest host last', [task('1', 'a'), task('2', 'a'), task('3', 'b')], 2, [], ['c', 'b']],
    ['ended tasks do not count', [task('1', 'a', 'failed'), task('2', 'b')], 1, [], ['a']],
    ['avoided hosts only when none else is left', [], 2, ['a', 'b', 'c'], ['a', 'b']],
    ['an avoided host is skipped', [], 2, ['a'], ['b', 'c']],
  ]
  for (const [name, tasks, count, avoid, expected] of cases)
    it(name, () => {
      assert.deepEqual(placeByCount(hosts, tasks, {count, avoid: new Set(avoid)}).sort(), expected.sort())
    })
})

describe('placeTasks (the place hook)', () => {
  const hosts = ['a', 'b'].map((name) => host(name))
  const run = async (place: KeepHooks['place'], count: number): Promise<[Map<string, number>, string[]]> => {
    const lines: string[] = []
    // Never used to connect: without resources asked for, placement probes no host.
    const connect = makeConnectOptions({
      connectTimeoutSeconds: 1,
      retries: 0,
      hostKeyCheck: 'strict',
      env: {},
      jumpConcurrency: 1,
    })
    const context = {
      connect,
      fanOut: {concurrency: 1},
      remoteRoot: '~/director',
      place,
      log: (l: string) => lines.push(l),
    }
    const placement = await placeTasks(hosts, [], {count, avoid: new Set()}, context)
    return [placement, lines]
  }

  it('counts the names the hook gives, at most count of them', async () => {
    const [placement] = await run(() => ['b', 'b', 'a', 'b'], 3)
    assert.deepEqual(
      [...placement],
      [
        ['b', 2],
        ['a', 1],
      ],
    )
  })

  it('drops and logs a name that is not an answering host', async () => {
    const [placement, lines] = await run(async () => ['z', 'a'], 2)
    assert.deepEqual([...placement], [['a', 1]])
    assert.match(lines.join('\n'), /place hook chose z: not a host that answered/)
  })

  it('falls back to placing by count when the hook throws, and says so', async () => {
    const [placement, lines] = await run(() => {
      throw new Error('no idea')
    }, 2)
    assert.deepEqual(
      [...placement],
      [
        ['a', 1],
        ['b', 1],
      ],
    )
    assert.match(lines.join('\n'), /place hook failed: no idea; placing by count/)
  })

  it('without a hook, places by count', async () => {
    const [placement] = await run(undefined, 4)
    assert.deepEqual(
      [...placement],
      [
        ['a', 2],
        ['b', 2],
      ],
    )
  })
})

describe('resolveKeepHooks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'director-hooks-'))

  after(() => rmSync(dir, {recursive: true, force: true}))
  const site = {remoteRoot: '~/director', project: 'p'}
  mkdirSync(join(dir, 'hooks'))
  writeFileSync(join(dir, 'hooks', 'init'), '#!/bin/sh\n')
  chmodSync(join(dir, 'hooks', 'init'), 0o755)
  writeFileSync(join(dir, 'plain'), 'not executable\n')

  it('keeps functions as given and finds the executables of the hooks folder', () => {
    const health = (): boolean => true
    const hooks = resolveKeepHooks({health}, {hooksDir: 'hooks', cwd: dir}, site)
    assert.equal(hooks.health, health)
    assert.equal(typeof hooks.init, 'function', 'init found in the hooks folder')
    assert.equal(hooks.maintenance, undefined)
  })

  it('a path that is not an executable file is a usage error naming the hook', () => {
    assert.throws(
      () => resolveKeepHooks({maintenance: 'plain'}, {hooksDir: 'hooks', cwd: dir}, site),
      (error: unknown) =>
        error instanceof UsageError && error.message === '--maintenance plain: not an executable file',
    )
  })

  it('a maintenance executable that fails throws its exit status', async () => {
    writeFileSync(join(dir, 'fails'), '#!/bin/sh\necho broken >&2\nexit 3\n')
    chmodSync(join(dir, 'fails'), 0o755)
    const hooks = resolveKeepHooks({maintenance: 'fails'}, {hooksDir: 'none', cwd: dir}, site)
    await assert.rejects(async () => hooks.maintenance?.(), /fails: exit 3 broken$/)
  })
})
