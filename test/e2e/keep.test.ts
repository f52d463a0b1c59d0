import assert from 'node:assert/strict'
// `director keep 4` on a real fleet of 3 hosts with --interval 1: a task killed by hand is
// replaced, the tasks of a host whose sshd stops are lost and replaced elsewhere, the stop file ends it.
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {setTimeout as sleep} from 'node:timers/promises'

import type {TaskListReport} from '../../src/core/tasks/list-tasks.js'

import {type Fleet, startFleet} from '../../fixtures/fleet/fleet.js'
import {runCli, runCliJson} from '../helpers/cli.js'
import {repoRoot} from '../helpers/paths.js'
import {isAlive} from '../helpers/processes.js'
import {killLeftoverTasks, waitFor} from '../helpers/tasks.js'

describe('director keep on a fleet of 3 hosts', () => {
  let current: Fleet | undefined
  const stateDir = mkdtempSync(join(tmpdir(), 'director-keep-e2e-'))
  const fleet = (): Fleet => current ?? assert.fail('the fleet did not start')
  const env = (): Record<string, string> => ({...fleet().env(), NO_COLOR: '1'})
  const running = async (limit?: string): Promise<TaskListReport['tasks']> => {
    const args = ['task', 'list', '--project', 'kp', '--state-dir', stateDir, ...(limit ? ['--limit', limit] : [])]
    const {json} = await runCliJson<TaskListReport>(args, {env: env(), timeoutMs: 20_000})
    return json.tasks.filter((t) => t.state === 'running')
  }

  /** Starts `director keep` in the background; `output()` is what it printed so far. */
  const startKeep = (args: string[]) => {
    const keep = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), ...args], {
      env: {...process.env, ...env()},
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 90_000,
    })
    let output = ''
    const collect = (chunk: string): void => {
      output += chunk
    }

    keep.stdout.setEncoding('utf8').on('data', collect)
    keep.stderr.setEncoding('utf8').on('data', collect)
    const exited = new Promise<null | number>((resolve) => {
      keep.on('close', (code) => resolve(code))
    })
    return {keep, output: () => output, exited}
  }

  before(async () => {
    current = await startFleet({hosts: 3})
  })

  after(async () => {
    killLeftoverTasks(
      stateDir,
      current?.hosts.map((host) => host.home),
    )
    await current?.down()
    rmSync(stateDir, {recursive: true, force: true})
  })

  test('keeps 4 running: replaces a killed task and a lost host, ends on the stop file', async () => {
    const args = ['keep', '4', '-c', 'sleep 300', '--project', 'kp', '--interval', '1', '--state-dir', stateDir]
    const {keep, output, exited} = startKeep([...args, '--connect-timeout', '2'])
    try {
      assert.ok(await waitFor(async () => (await running()).length === 4, 20_000), output())
      const [victim] = await running()
      assert.ok(victim?.pid, 'a running task')
      process.kill(victim.pid, 'SIGKILL')
      const replaced = await waitFor(async () => {
        const now = await running()
        return now.length === 4 && !now.some((t) => t.id === victim.id)
      }, 8000)
      assert.ok(replaced, output())
      assert.match(output(), new RegExp(`failed ${victim.id} @`))

      await fleet().stopHost(3, {killSessions: true})
      const hosts12 = `${fleet().host(1).address},${fleet().host(2).address}`
      assert.ok(await waitFor(async () => (await running(hosts12)).length === 4, 20_000), output())
      assert.match(output(), /lost t-\S+ @127\.0\.1\.3/)
      const log = readFileSync(join(stateDir, 'projects', 'kp', 'keep.log'), 'utf8')
      assert.match(log, /^\S+Z start t-\d{14}-[\da-f]{4} @127\.0\.1\.\d pid \d+$/m)

      mkdirSync(join(stateDir, 'projects', 'kp'), {recursive: true})
      writeFileSync(join(stateDir, 'projects', 'kp', 'stop'), '')
      const code = await Promise.race([exited, sleep(10_000, 'timeout')])
      assert.equal(code, 0, output())
      assert.match(output(), /stop file found/)
    } finally {
      keep.kill('SIGKILL')
      await runCli(['task', 'stop', '--project', 'kp', '--grace', '1', '--state-dir', stateDir], {env: env()})
    }
  })

  test('hooks: init runs once on each host first; a task failing its health check is stopped and replaced', async () => {
    const hooks = join(stateDir, 'hp-hooks')
    mkdirSync(hooks, {recursive: true})
    // init leaves a mark in the host's home; health fails for the task whose pid is in ~/sick.
    writeFileSync(join(hooks, 'init'), '#!/bin/sh\necho "$1" >> "$HOME/init-done"\n', {mode: 0o755})
    writeFileSync(join(hooks, 'health'), '#!/bin/sh\n! grep -qx "$2" "$HOME/sick" 2>/dev/null\n', {mode: 0o755})
    const args = ['keep', '3', '-c', 'sleep 300', '--project', 'hp', '--interval', '1', '--state-dir', stateDir]
    const {keep, output, exited} = startKeep([...args, '--hooks', hooks])
    const runningHp = async (): Promise<TaskListReport['tasks']> => {
      const list = ['task', 'list', '--project', 'hp', '--state-dir', stateDir]
      const {json} = await runCliJson<TaskListReport>(list, {env: env(), timeoutMs: 20_000})
      return json.tasks.filter((t) => t.state === 'running')
    }

    try {
      assert.ok(await waitFor(async () => (await runningHp()).length === 3, 20_000), output())
      for (const host of fleet().hosts) {
        if (!fleet().isHostUp(host.index)) continue
        assert.equal(readFileSync(join(host.home, 'init-done'), 'utf8'), 'hp\n', `init on ${host.address}`)
      }

      const [sick] = await runningHp()
      assert.ok(sick?.pid)
      const sickHome = fleet().hosts.find((h) => h.address === sick.host)?.home ?? ''
      writeFileSync(join(sickHome, 'sick'), `${sick.pid}\n`)
      const replaced = await waitFor(async () => {
        const now = await runningHp()
        return now.length === 3 && !now.some((t) => t.id === sick.id)
      }, 10_000)
      assert.ok(replaced, output())
      assert.match(output(), new RegExp(`health ${sick.id} @\\S+ failed`))
      assert.ok(await waitFor(async () => !isAlive(sick.pid ?? 0), 15_000), 'the unhealthy task was stopped')
      writeFileSync(join(stateDir, 'projects', 'hp', 'stop'), '')
      assert.equal(await Promise.race([exited, sleep(10_000, 'timeout')]), 0, output())
    } finally {
      keep.kill('SIGKILL')
      await runCli(['task', 'stop', '--project', 'hp', '--grace', '1', '--state-dir', stateDir], {env: env()})
    }
  })
})
