import assert from 'node:assert/strict'
// Settings: config/director.json and director.json in the oclif config dir give defaults to any
// flag; DIRECTOR_* variables override them, the command line overrides everything.
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, test} from 'node:test'

import type {EffectiveSetting} from '../../src/cli/settings.js'
import type {RunOnFleetReport} from '../../src/core/run/run-on-fleet.js'

import {settingKey} from '../../src/core/settings/settings-file.js'
import {type CliOptions, runCli, runCliJson} from '../helpers/cli.js'

describe('settings files and DIRECTOR_* variables', () => {
  const work = mkdtempSync(join(tmpdir(), 'director-settings-e2e-'))
  const xdg = join(work, 'xdg')
  const userFile = join(xdg, 'director', 'director.json')
  const projectFile = join(work, 'config', 'director.json')
  mkdirSync(join(xdg, 'director'), {recursive: true})
  mkdirSync(join(work, 'config'))
  // Nothing listens on port 9: the run ends at once, and its report says which remote root it used.
  writeFileSync(join(work, 'clients.conf'), '127.0.0.1:9\n')
  const options = (env: Record<string, string> = {}): CliOptions => ({
    cwd: work,
    env: {XDG_CONFIG_HOME: xdg, DIRECTOR_REMOTE_ROOT: undefined, DIRECTOR_CONCURRENCY: undefined, ...env},
  })
  const write = (path: string, settings: unknown): void => writeFileSync(path, JSON.stringify(settings))
  const remoteRootOf = async (args: string[], env?: Record<string, string>): Promise<string> => {
    const base = ['run', '-c', 'true', '--clients', 'clients.conf', '--out', 'out', '--retries', '0']
    const {json, stderr} = await runCliJson<RunOnFleetReport>([...base, ...args], options(env))
    assert.ok(json.remoteRoot, stderr)
    return json.remoteRoot
  }

  after(() => rmSync(work, {recursive: true, force: true}))

  test('precedence: built-in < settings file < environment < command line', async () => {
    rmSync(projectFile, {force: true})
    rmSync(userFile, {force: true})
    assert.equal(await remoteRootOf([]), '~/director')
    write(userFile, {remoteRoot: '/srv/user'})
    assert.equal(await remoteRootOf([]), '/srv/user')
    write(projectFile, {remoteRoot: '/srv/project'})
    assert.equal(await remoteRootOf([]), '/srv/project', './config/director.json wins over the config dir')
    assert.equal(await remoteRootOf([], {DIRECTOR_REMOTE_ROOT: '/srv/env'}), '/srv/env')
    assert.equal(await remoteRootOf(['--remote-root', '/srv/flag'], {DIRECTOR_REMOTE_ROOT: '/srv/env'}), '/srv/flag')
  })

  test('director config says each value and where it came from', async () => {
    write(projectFile, {concurrency: 7, connectTimeout: 3})
    rmSync(userFile, {force: true})
    const {code, json} = await runCliJson<{settings: EffectiveSetting[]}>(['config'], options({DIRECTOR_RETRIES: '5'}))
    assert.equal(code, 0)
    const of = (key: string): EffectiveSetting | undefined => json.settings.find((s) => s.key === key)
    assert.deepEqual(of('concurrency'), {
      key: 'concurrency',
      flag: '--concurrency',
      value: 7,
      source: 'config/director.json',
    })
    assert.deepEqual(of('retries'), {key: 'retries', flag: '--retries', value: '5', source: '$DIRECTOR_RETRIES'})
    assert.deepEqual(of('hostKeyCheck'), {
      key: 'hostKeyCheck',
      flag: '--host-key-check',
      value: 'accept-new',
      source: 'default',
    })
    const text = await runCli(['config'], options())
    assert.match(text.stdout, /^connectTimeout +3 +config\/director\.json$/m)
  })

  test('durations: one format in settings as on the command line; an old millisecond number is refused', async () => {
    rmSync(userFile, {force: true})
    write(projectFile, {connectTimeout: '1m30s'})
    const {json} = await runCliJson<{settings: EffectiveSetting[]}>(['config'], options())
    assert.equal(json.settings.find((s) => s.key === 'connectTimeout')?.value, '1m30s')
    write(projectFile, {timeout: 3000})
    const ping = await runCli(['ping', '--ports', 'ports.conf'], options())
    assert.equal(ping.code, 2)
    assert.equal(
      ping.stderr,
      'Error: config/director.json: key "timeout": --timeout: "3000" is 3000 seconds (it used to mean milliseconds): write the unit, e.g. 3000ms or 3s\n',
    )
    rmSync(projectFile, {force: true})
  })

  test('an unknown key or a wrong type is a usage error naming the file and the key (exit 2)', async () => {
    rmSync(userFile, {force: true})
    const cases: Array<[unknown, string]> = [
      [{concurency: 8}, 'Error: config/director.json: unknown key "concurency" (keys are flag names in camelCase)\n'],
      [
        {concurrency: 'lots'},
        'Error: config/director.json: key "concurrency": Expected an integer but received: lots\n',
      ],
      [{verbose: 'yes'}, 'Error: config/director.json: key "verbose" must be true or false\n'],
      [
        {hostKeyCheck: 'maybe'},
        'Error: config/director.json: key "hostKeyCheck" must be one of strict, accept-new, off\n',
      ],
      [[1, 2], 'Error: config/director.json: must be a JSON object of settings, e.g. {"concurrency": 32}\n'],
    ]
    for (const [settings, message] of cases) {
      write(projectFile, settings)
      const {code, stderr} = await runCli(['status', '--clients', 'clients.conf'], options())
      assert.equal(code, 2, stderr)
      assert.equal(stderr, message)
    }

    writeFileSync(projectFile, '{"concurrency": 8,}')
    const bad = await runCli(['config'], options())
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /^Error: config\/director\.json: not valid JSON \(.+\)\n$/)
  })

  test('director config shows only settings (no help-plugin keys) and the state dir as a resolved path', async () => {
    rmSync(userFile, {force: true})
    rmSync(projectFile, {force: true})
    const config = async (env: Record<string, string>): Promise<EffectiveSetting[]> => {
      const {code, json, stderr} = await runCliJson<{settings: EffectiveSetting[]}>(['config'], options(env))
      assert.equal(code, 0, stderr)
      return json.settings
    }

    const stateDir = (settings: EffectiveSetting[]): EffectiveSetting | undefined =>
      settings.find((s) => s.key === 'stateDir')
    const byDefault = await config({XDG_STATE_HOME: join(work, 'state')})
    assert.equal(
      byDefault.find((s) => s.key === 'nestedCommands'),
      undefined,
    )
    assert.ok(byDefault.every((s) => s.flag.startsWith('--') && s.key === settingKey(s.flag.slice(2))))
    for (const key of ['help', 'json', 'version'])
      assert.equal(
        byDefault.find((s) => s.key === key),
        undefined,
        key,
      )
    assert.deepEqual(stateDir(byDefault), {
      key: 'stateDir',
      flag: '--state-dir',
      value: join(work, 'state', 'director'),
      source: 'default',
    })
    assert.equal(stateDir(await config({DIRECTOR_STATE_DIR: 'rel'}))?.value, join(work, 'rel'))
    write(projectFile, {stateDir: 'from-file'})
    assert.deepEqual(stateDir(await config({}))?.value, join(work, 'from-file'))
    write(projectFile, {nestedCommands: true})
    const rejected = await runCli(['config'], options())
    assert.equal(rejected.code, 2)
    assert.equal(
      rejected.stderr,
      'Error: config/director.json: unknown key "nestedCommands" (keys are flag names in camelCase)\n',
    )
    rmSync(projectFile, {force: true})
  })
})
