import assert from 'node:assert/strict'
import {copyFileSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import type {StatusReport} from '../../src/core/status/check-status.js'

import {type Fleet, startFleet} from '../../fixtures/fleet/fleet.js'
import {runCli, runCliJson} from '../helpers/cli.js'

describe('director status against a real sshd fleet', () => {
  let fleet: Fleet
  let withFaults: string

  before(async () => {
    fleet = await startFleet({hosts: 4, faults: true})
    const {faults} = fleet
    assert.ok(faults)
    withFaults = fleet.writeClientsConf(
      [
        ...fleet.hosts.map((host) => host.address),
        faults.refused.address,
        faults.silent.address,
        faults.changedKey.address,
        faults.rejectedKey.address,
      ],
      'with-faults.conf',
    )
  })

  after(async () => fleet?.down())

  it('reports every host ON with ping and login, in inventory order, exit 0', async () => {
    const {code, json} = await runCliJson<StatusReport>(['status'], {env: fleet.env()})
    assert.equal(code, 0)
    assert.equal(json.icmp, 'on')
    assert.deepEqual(
      json.hosts.map((h) => [h.host, h.on, h.ssh.ok]),
      fleet.hosts.map((h) => [h.address, true, true]),
    )
    for (const host of json.hosts) {
      assert.deepEqual(host.icmp.state === 'replied' && [host.icmp.sent, host.icmp.received], [2, 2])
      assert.ok(host.ssh.ok && host.ssh.loginMs > 0)
    }

    assert.equal(json.online, 4)
    assert.equal(json.total, 4)
  })

  it('prints one line per host and the summary', async () => {
    const {code, stdout} = await runCli(['status'], {env: fleet.env()})
    assert.equal(code, 0)
    const lines = stdout.trimEnd().split('\n')
    assert.match(lines[0] ?? '', /^HOST\s+STATE\s+PING\s+SSH\s+LOGIN$/)
    for (const [i, host] of fleet.hosts.entries()) {
      assert.match(
        lines[i + 1] ?? '',
        new RegExp(`^${host.address.replaceAll('.', String.raw`\.`)}\\s+ON\\s+2/2 [\\d.]+ ms\\s+ssh: ok\\s+\\d+ ms$`),
      )
    }

    assert.equal(lines.at(-1), '4/4 hosts online')
  })

  it('names what failed on each kind of broken host, exit 1', async () => {
    const started = performance.now()
    const {code, json} = await runCliJson<StatusReport>(['status', '--clients', withFaults, '--connect-timeout', '2'], {
      env: fleet.env(),
    })
    const seconds = (performance.now() - started) / 1000
    assert.equal(code, 1)
    const kinds = json.hosts.map((h) => (h.ssh.ok ? 'ok' : h.ssh.failure.kind))
    assert.deepEqual(kinds, ['ok', 'ok', 'ok', 'ok', 'refused', 'timeout', 'host-key-changed', 'auth-failed'])
    assert.deepEqual(
      json.hosts.map((h) => h.on),
      [true, true, true, true, false, false, false, false],
    )
    assert.equal(json.online, 4)
    const silent = json.hosts[5]
    assert.ok(silent && !silent.ssh.ok)
    // The silent host is given up on at the 2 s connect timeout, not after the default 10 s nor
    // once per retry. Bounds are generous: this machine's 2 cores are shared with other test runs
    // (start-up time and the exact figures are the benchmark's business).
    assert.ok(silent.ms >= 1900 && silent.ms < 8000, `the silent host took ${silent.ms} ms`)
    assert.ok(seconds < 30, `status took ${seconds} s`)
    assert.match(silent.ssh.failure.message, /accepted TCP but no SSH handshake within 2 s/)
    const changed = json.hosts[6]
    assert.ok(changed && !changed.ssh.ok)
    assert.match(changed.ssh.failure.message, new RegExp(`differs from ${fleet.knownHosts}:\\d+`))
  })

  it('shows a stopped host OFF with ssh: refused, and ON again once it is back', async () => {
    await fleet.stopHost(2)
    try {
      const {code, stdout} = await runCli(['status'], {env: fleet.env()})
      assert.equal(code, 1)
      assert.match(
        stdout,
        /^127\.0\.1\.2\s+OFF\s+2\/2 [\d.]+ ms\s+ssh: refused\s+connection refused by 127\.0\.1\.2:\d+/m,
      )
      assert.match(stdout, /^3\/4 hosts online$/m)
    } finally {
      await fleet.startHost(2)
    }

    assert.equal((await runCli(['status'], {env: fleet.env()})).code, 0)
  })

  it('--no-icmp judges by the SSH login alone; --limit selects hosts', async () => {
    const {code, json} = await runCliJson<StatusReport>(['status', '--no-icmp', '--limit', '127.0.1.[2-3]'], {
      env: fleet.env(),
    })
    assert.equal(code, 0)
    assert.equal(json.icmp, 'off')
    assert.deepEqual(
      json.hosts.map((h) => [h.host, h.icmp.state]),
      [
        ['127.0.1.2', 'skipped'],
        ['127.0.1.3', 'skipped'],
      ],
    )
  })

  it('says icmp: n/a once when there is no ping command, and still checks SSH', async () => {
    const {code, stdout} = await runCli(['status'], {env: {...fleet.env(), PATH: '/nonexistent'}})
    assert.equal(code, 0)
    assert.equal(stdout.match(/icmp: n\/a/g)?.length, 1)
    assert.match(stdout, /4\/4 hosts online/)
  })

  it('accept-new records an unknown host; strict refuses it; a recorded key is then trusted', async () => {
    const knownHosts = join(fleet.dir, 'partial_known_hosts')
    const lines = readFileSync(fleet.knownHosts, 'utf8').split('\n')
    const hostLine = `[127.0.1.3]:${fleet.port} `
    writeFileSync(knownHosts, lines.filter((line) => !line.startsWith(hostLine)).join('\n'))
    const args = ['status', '--no-icmp', '--limit', '127.0.1.3', '--known-hosts', knownHosts]

    const strict = await runCliJson<StatusReport>([...args, '--host-key-check', 'strict'], {env: fleet.env()})
    assert.equal(strict.code, 1)
    assert.equal(strict.json.hosts[0]?.ssh.ok === false && strict.json.hosts[0].ssh.failure.kind, 'host-key-unknown')
    assert.doesNotMatch(readFileSync(knownHosts, 'utf8'), /127\.0\.1\.3/)

    const acceptNew = await runCliJson<StatusReport>(args, {env: fleet.env()})
    assert.equal(acceptNew.code, 0)
    const recorded = readFileSync(knownHosts, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith(hostLine))
    assert.equal(recorded.length, 1)
    // The recorded key is the host's real key: the fleet's known_hosts line for it says the same.
    const original = lines.find((line) => line.startsWith(hostLine))
    assert.equal(recorded[0]?.trim(), original?.trim())

    const strictAgain = await runCliJson<StatusReport>([...args, '--host-key-check', 'strict'], {env: fleet.env()})
    assert.equal(strictAgain.code, 0)
  })

  it('refuses a changed key under accept-new too, and never rewrites known_hosts', async () => {
    const knownHosts = join(fleet.dir, 'copy_known_hosts')
    copyFileSync(fleet.knownHosts, knownHosts)
    const before = readFileSync(knownHosts, 'utf8')
    const {faults} = fleet
    assert.ok(faults)
    const {code, json} = await runCliJson<StatusReport>(
      ['status', '--clients', withFaults, '--limit', faults.changedKey.address, '--known-hosts', knownHosts],
      {env: fleet.env()},
    )
    assert.equal(code, 1)
    assert.equal(json.hosts[0]?.ssh.ok === false && json.hosts[0].ssh.failure.kind, 'host-key-changed')
    assert.equal(readFileSync(knownHosts, 'utf8'), before)
  })
})
