import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {after, describe, it} from 'node:test'

import type {ListReport} from '../../src/core/local/list-local.js'
import type {PingReport} from '../../src/core/local/ping-local.js'
import type {ShutdownReport} from '../../src/core/local/shutdown-local.js'
import type {StartReport} from '../../src/core/local/types.js'

import {freePorts, isRunning, killAll, makeSandbox, runCli, waitUntil} from '../helpers/local.js'

/** Every pid a test started, killed in `after` if a test failed half-way. */
const started = new Set<number>()
const sandboxes: Array<() => void> = []

async function cli<T>(args: string[]): Promise<{code: number | null; report: T; stdout: string; stderr: string}> {
  const run = await runCli([...args, '--json'])
  const report = JSON.parse(run.stdout) as T
  return {...run, report}
}

async function sandbox(
  count: number,
): Promise<{ports: number[]; flags: string[]; portsFile: string; stateDir: string}> {
  const ports = await freePorts(count)
  const box = makeSandbox(ports)
  sandboxes.push(box.cleanup)
  return {ports, flags: ['--ports', box.portsFile, '--state-dir', box.stateDir], ...box}
}

async function startAll(flags: string[]): Promise<StartReport> {
  const {code, report} = await cli<StartReport>(['start_local', ...flags])
  for (const r of report.results) if (r.ok) started.add(r.pid)
  assert.equal(code, 0, JSON.stringify(report))
  return report
}

function pidsOf(report: StartReport): number[] {
  return report.results.flatMap((r) => (r.ok ? [r.pid] : []))
}

/** oclif wraps error messages at the terminal width; undo it. */
function oneLine(text: string): string {
  return text.replaceAll(/\n ›\s+/g, '')
}

after(() => {
  killAll(started)
  for (const cleanup of sandboxes) cleanup()
})

describe('local mode (e2e, bin/run.js)', () => {
  it('start 3, ping all ON, list, shutdown_local, ping all OFF, no process left', async () => {
    const {ports, flags} = await sandbox(3)
    const start = await runCli(['start_local', ...flags])
    assert.equal(start.code, 0, start.stderr)
    assert.equal(start.stdout, ports.map((p) => `Service started @ 127.0.0.1:${p}\n`).join(''))
    const state = await cli<ListReport>(['list', ...flags])
    const pids = state.report.services.map((s) => s.pid)
    for (const pid of pids) started.add(pid)
    assert.deepEqual(
      state.report.services.map((s) => [s.port, s.status, s.foreground]),
      ports.map((p) => [p, 'alive', false]),
    )
    assert.equal(new Set(pids).size, 3)
    assert.ok(pids.every((pid) => isRunning(pid) && pid !== process.pid))

    const ping = await cli<PingReport>(['ping', ...flags])
    assert.equal(ping.code, 0)
    assert.deepEqual(
      ping.report.results.map((r) => (r.ok ? r.reply : r.failure.kind)),
      ports.map((p) => `Echo sent from 127.0.0.1:${p}`),
    )
    const text = await runCli(['list', ...flags])
    assert.match(text.stdout, /^PID +PORT +HOST +UPTIME +STATUS +MODE\n/)
    for (const [i, port] of ports.entries()) {
      assert.match(
        text.stdout,
        new RegExp(`^${pids[i]} +${port} +127\\.0\\.0\\.1 +\\d+(\\.\\d)?m?s +alive +detached$`, 'm'),
      )
    }

    const stop = await cli<ShutdownReport>(['shutdown_local', ...flags])
    assert.equal(stop.code, 0)
    assert.deepEqual(
      stop.report.results.map((r) => (r.ok ? [r.port, r.outcome] : [r.port, r.failure.message])),
      ports.map((p) => [p, 'stopped']),
    )
    assert.ok(await waitUntil(() => pids.every((pid) => !isRunning(pid))), 'every service process exited')
    const off = await cli<PingReport>(['ping', ...flags])
    assert.equal(off.code, 1)
    assert.deepEqual(
      off.report.results.map((r) => (r.ok ? 'ON' : r.failure.kind)),
      ['refused', 'refused', 'refused'],
    )
    assert.deepEqual((await cli<ListReport>(['list', ...flags])).report.services, [])
    const again = await runCli(['shutdown-local', ...flags])
    assert.equal(again.code, 0)
    assert.match(again.stdout, /^No local services running/)
  })

  it('a port taken by another process fails alone; the others start; exit 1', async () => {
    const {ports, flags} = await sandbox(3)
    const squatter = createServer()
    await new Promise<void>((resolve) => {
      squatter.listen(ports[1], '127.0.0.1', () => resolve())
    })
    try {
      const run = await runCli(['start_local', ...flags])
      const list = await cli<ListReport>(['list', ...flags])
      for (const s of list.report.services) started.add(s.pid)
      assert.equal(run.code, 1)
      assert.equal(
        run.stdout,
        [
          `Service started @ 127.0.0.1:${ports[0]}`,
          `Service not started @ 127.0.0.1:${ports[1]}: port ${ports[1]} is already in use by another process`,
          `Service started @ 127.0.0.1:${ports[2]}`,
          '',
        ].join('\n'),
      )
      assert.deepEqual(
        list.report.services.map((s) => s.port),
        [ports[0], ports[2]],
      )
      const json = await cli<StartReport>(['start_local', ...flags])
      assert.equal(json.code, 1)
      assert.deepEqual(json.report.results[1], {
        port: ports[1],
        ok: false,
        host: '127.0.0.1',
        failure: {kind: 'port-in-use', message: `port ${ports[1]} is already in use by another process`},
      })
    } finally {
      await new Promise((resolve) => {
        squatter.close(resolve)
      })
      await runCli(['shutdown_local', ...flags])
    }
  })

  it('malformed port.conf: file:line in one line, exit 2, nothing started', async () => {
    const {flags, portsFile, stateDir} = await sandbox(1)
    writeFileSync(portsFile, '15001\n\n99999\n')
    for (const command of ['start_local', 'ping']) {
      const run = await runCli([command, ...flags])
      assert.equal(run.code, 2)
      assert.equal(run.stdout, '')
      assert.match(oneLine(run.stderr), new RegExp(`${portsFile}:3: port 99999 out of range: expected 1024-65535`))
    }

    writeFileSync(portsFile, '15001\n15001\n')
    const json = await runCli(['start_local', ...flags, '--json'])
    assert.equal(json.code, 2)
    assert.match(json.stdout + json.stderr, /port\.conf:2: duplicate port 15001 \(first on line 1\)/)
    const list = await cli<ListReport>(['list', '--state-dir', stateDir])
    assert.deepEqual(list.report.services, [])
    const missing = await runCli(['ping', '--ports', `${portsFile}.nope`, '--state-dir', stateDir])
    assert.equal(missing.code, 2)
    assert.match(oneLine(missing.stderr), /--ports .*port\.conf\.nope: no such file/)
  })

  it('start_local twice starts no duplicates', async () => {
    const {ports, flags} = await sandbox(2)
    const first = await startAll(flags)
    try {
      const second = await cli<StartReport>(['start-local', ...flags])
      assert.equal(second.code, 0)
      assert.deepEqual(
        second.report.results.map((r) => (r.ok ? [r.status, r.pid] : r.failure)),
        pidsOf(first).map((pid) => ['already-running', pid]),
      )
      const text = await runCli(['start_local', ...flags])
      assert.equal(
        text.stdout,
        ports.map((p, i) => `Service @ 127.0.0.1:${p} already running (pid ${pidsOf(first)[i]})\n`).join(''),
      )
      const list = await cli<ListReport>(['list', ...flags])
      assert.deepEqual(
        list.report.services.map((s) => s.pid),
        pidsOf(first),
      )
    } finally {
      await runCli(['shutdown_local', ...flags])
    }

    assert.ok(await waitUntil(() => pidsOf(first).every((pid) => !isRunning(pid))))
  })

  it('a service killed with SIGKILL: ping OFF, list stale, shutdown_local cleans up', async () => {
    const {ports, flags} = await sandbox(2)
    const report = await startAll(flags)
    const [victim = 0, survivor = 0] = pidsOf(report)
    process.kill(victim, 'SIGKILL')
    assert.ok(await waitUntil(() => !isRunning(victim)))
    const ping = await cli<PingReport>(['ping', ...flags])
    assert.equal(ping.code, 1)
    assert.deepEqual(
      ping.report.results.map((r) => [r.port, r.ok ? 'ON' : r.failure.kind]),
      [
        [ports[0], 'refused'],
        [ports[1], 'ON'],
      ],
    )
    const list = await cli<ListReport>(['list', ...flags])
    assert.deepEqual(
      list.report.services.map((s) => [s.pid, s.status]),
      [
        [victim, 'stale'],
        [survivor, 'alive'],
      ],
    )
    const stop = await cli<ShutdownReport>(['shutdown_local', ...flags])
    assert.equal(stop.code, 0)
    assert.deepEqual(
      stop.report.results.map((r) => (r.ok ? r.outcome : r.failure.kind)),
      ['stale', 'stopped'],
    )
    assert.ok(await waitUntil(() => !isRunning(survivor)))
    assert.deepEqual((await cli<ListReport>(['list', ...flags])).report.services, [])
  })

  it('start_local --foreground serves until Ctrl-C, then stops cleanly', async () => {
    const {spawn} = await import('node:child_process')
    const {ports, flags} = await sandbox(2)
    const bin = new URL('../../../bin/run.js', import.meta.url).pathname
    const child = spawn(process.execPath, [bin, 'start_local', '--foreground', ...flags], {
      env: {...process.env, NO_COLOR: '1'},
    })
    if (child.pid !== undefined) started.add(child.pid)
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    const exited = new Promise<number | null>((resolve) => {
      child.on('exit', (code) => resolve(code))
    })
    assert.ok(await waitUntil(() => out.includes('press Ctrl-C'), 15_000), out)
    assert.ok(out.startsWith(ports.map((p) => `Service started @ 127.0.0.1:${p}\n`).join('')))
    const ping = await cli<PingReport>(['ping', ...flags])
    assert.equal(ping.code, 0)
    const list = await cli<ListReport>(['list', ...flags])
    assert.deepEqual(
      list.report.services.map((s) => [s.pid, s.foreground, s.status]),
      ports.map(() => [child.pid, true, 'alive']),
    )
    child.kill('SIGINT')
    assert.equal(await exited, 130)
    assert.equal((await cli<PingReport>(['ping', ...flags])).code, 1)
    assert.deepEqual((await cli<ListReport>(['list', ...flags])).report.services, [])
  })
})
