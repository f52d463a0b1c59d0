import assert from 'node:assert/strict'
import {readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import type {RunReport} from '../../src/core/run/run-report.js'
import type {StatusReport} from '../../src/core/status/check-status.js'

import {type Fleet, startFleet} from '../../fixtures/fleet/fleet.js'
import {runCli, runCliJson} from '../helpers/cli.js'
import {waitFor} from '../helpers/wait.js'

const BASTION = 4
const TARGETS = [1, 2, 3]

/** What the bastion's sshd (LogLevel DEBUG1) logged while `work` ran: its logins and its forwarded connections. */
async function bastionLog<T>(fleet: Fleet, work: () => Promise<T>): Promise<T & {logins: number; forwards: string[]}> {
  const log = fleet.host(BASTION).logFile
  const from = statSync(log).size
  const result = await work()
  const text = readFileSync(log).subarray(from).toString('utf8')
  const logins = text.split('\n').filter((line) => line.includes(`Accepted publickey for ${fleet.host(BASTION).user} `))
  const forwards = [...text.matchAll(/server_request_direct_tcpip: originator \S+ port \d+, target (\S+) port (\d+)/g)]
  return {...result, logins: logins.length, forwards: forwards.map(([, host, port]) => `${host}:${port}`).sort()}
}

describe('director through a bastion (ProxyJump / -J) against a real sshd fleet', () => {
  let fleet: Fleet
  let targets: string
  let proxyJumpConfig: string
  let bastion: string

  before(async () => {
    fleet = await startFleet({hosts: 4, bastionHost: BASTION, faults: true})
    bastion = fleet.host(BASTION).address
    targets = fleet.writeClientsConf(
      TARGETS.map((i) => fleet.host(i).address),
      'targets.conf',
    )
    // The fleet's ssh_config with a ProxyJump for the targets only (the first value wins).
    const addresses = TARGETS.map((i) => fleet.host(i).address).join(' ')
    proxyJumpConfig = join(fleet.dir, 'ssh_config_jump')
    writeFileSync(
      proxyJumpConfig,
      `Host ${addresses}\n  ProxyJump ${bastion}\n${readFileSync(fleet.sshConfig, 'utf8')}`,
    )
  })

  after(async () => fleet?.down())

  const expectedForwards = (): string[] => TARGETS.map((i) => `${fleet.host(i).address}:${fleet.port}`).sort()

  it('-J: one login to the bastion for the whole command, one forwarded connection per target, right outputs', async () => {
    const {code, json, logins, forwards} = await bastionLog(fleet, async () =>
      runCliJson<RunReport>(
        ['run', '-c', 'hostname', '--clients', targets, '-J', bastion, '--out', join(fleet.dir, 'out')],
        {
          env: fleet.env(),
        },
      ),
    )
    assert.equal(code, 0)
    assert.deepEqual(
      json.hosts.map((host) => [host.host, host.state, host.stdoutHead]),
      TARGETS.map((i) => [fleet.host(i).address, 'ok', `fleet-h${i}\n`]),
    )
    assert.equal(logins, 1)
    assert.deepEqual(forwards, expectedForwards())
  })

  it('ProxyJump from ssh_config: status logs in through the bastion once (no ping from here); -J none goes direct', async () => {
    const through = await bastionLog(fleet, async () =>
      runCliJson<StatusReport>(['status', '--clients', targets, '--ssh-config', proxyJumpConfig], {
        env: fleet.env(),
      }),
    )
    assert.equal(through.code, 0)
    assert.deepEqual(
      through.json.hosts.map((host) => [host.host, host.on, host.icmp.state]),
      TARGETS.map((i) => [fleet.host(i).address, true, 'skipped']),
    )
    assert.equal(through.logins, 1)
    assert.deepEqual(through.forwards, expectedForwards())

    const direct = await bastionLog(fleet, async () =>
      runCliJson<StatusReport>(
        ['status', '--no-icmp', '--clients', targets, '--ssh-config', proxyJumpConfig, '-J', 'none'],
        {env: fleet.env()},
      ),
    )
    assert.equal(direct.code, 0)
    assert.equal(direct.json.online, TARGETS.length)
    assert.equal(direct.logins, 0)
    assert.deepEqual(direct.forwards, [])
  })

  it('a dead bastion is the failure of every host behind it, named, exit 1', async () => {
    await fleet.stopHost(BASTION)
    try {
      const {code, json, stdout} = await runCliJson<StatusReport>(
        ['status', '--no-icmp', '--clients', targets, '--ssh-config', proxyJumpConfig],
        {env: fleet.env()},
      )
      assert.equal(code, 1)
      assert.equal(json.online, 0)
      for (const host of json.hosts) {
        assert.ok(!host.ssh.ok)
        assert.equal(host.ssh.failure.kind, 'refused')
        assert.equal(
          host.ssh.failure.message,
          `bastion ${bastion}: connection refused by ${bastion}:${fleet.port}: is sshd running on that port?`,
        )
      }

      assert.doesNotMatch(stdout, /\n\s+at /, 'no stack trace')
    } finally {
      await fleet.startHost(BASTION)
    }
  })

  it('a bastion whose host key changed is refused: every host behind it fails host-key-changed', async () => {
    const {faults} = fleet
    assert.ok(faults)
    const changed = faults.changedKey.address
    const {code, stdout, stderr} = await runCli(['run', '-c', 'true', '--clients', targets, '-J', changed], {
      env: fleet.env(),
      cwd: fleet.dir,
    })
    assert.equal(code, 1, stderr)
    for (const i of TARGETS) {
      assert.match(
        stdout,
        new RegExp(
          `^${fleet.host(i).address.replaceAll('.', String.raw`\.`)}\\s+unreachable: host key changed .* bastion ${changed.replaceAll('.', String.raw`\.`)}: host key of`,
          'm',
        ),
      )
    }

    const json = await runCliJson<RunReport>(['run', '-c', 'true', '--clients', targets, '-J', changed], {
      env: fleet.env(),
      cwd: fleet.dir,
    })
    assert.equal(json.code, 1)
    for (const host of json.json.hosts) {
      assert.equal(host.failure?.kind, 'host-key-changed')
      assert.match(
        host.failure.message,
        new RegExp(`^bastion ${changed}: host key of \\[${changed}\\]:${fleet.port} changed`),
      )
    }
  })

  for (const [signal, exitCode] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal}: exit ${exitCode} and the bastion keeps no session of ours`, async () => {
      const {code} = await runCli(['run', '-c', 'sleep 30', '--clients', targets, '-J', bastion], {
        env: fleet.env(),
        cwd: fleet.dir,
        interruptWhen: () => TARGETS.every((i) => fleet.processesOn(i).some((p) => p.command === 'sleep 30')),
        interruptSignal: signal,
      })
      assert.equal(code, exitCode)
      // sshd names a login's processes after its user ("sshd: <user> [priv]"): none is left.
      const {user} = fleet.host(BASTION)
      const sessions = (): string[] =>
        fleet
          .processesOn(BASTION)
          .map((p) => p.command)
          .filter((command) => command.includes(user))
      assert.ok(await waitFor(() => sessions().length === 0, 10_000), sessions().join('; '))
    })
  }

  it('a host the bastion cannot reach fails on its own; the hosts beside it are fine', async () => {
    const {faults} = fleet
    assert.ok(faults)
    const mixed = fleet.writeClientsConf([fleet.host(1).address, faults.refused.address], 'mixed.conf')
    const {code, json, logins} = await bastionLog(fleet, async () =>
      runCliJson<StatusReport>(['status', '--clients', mixed, '-J', bastion], {env: fleet.env()}),
    )
    assert.equal(code, 1)
    assert.equal(logins, 1)
    const [reached, refused] = json.hosts
    assert.equal(reached?.on, true)
    assert.ok(refused && !refused.ssh.ok)
    assert.deepEqual(refused.ssh.failure, {
      kind: 'refused',
      message: `bastion ${bastion}: connection refused by ${faults.refused.address}:${fleet.port}: is sshd running on that port?`,
    })
  })

  it('a bastion lost mid-command: the host on it fails, and the hosts after it fail naming the bastion', async () => {
    const running = runCliJson<RunReport>(['run', '-c', 'sleep 20', '--clients', targets, '-J', bastion, '-f', '1'], {
      env: fleet.env(),
      cwd: fleet.dir,
    })
    try {
      const first = fleet.host(TARGETS[0] ?? 1)
      assert.ok(await waitFor(() => fleet.processesOn(first.index).some((p) => p.command === 'sleep 20'), 30_000))
      await fleet.stopHost(BASTION, {killSessions: true})
      const {code, json} = await running
      assert.equal(code, 1)
      assert.deepEqual(
        json.hosts.map((host) => host.state === 'ok'),
        TARGETS.map(() => false),
      )
      for (const host of json.hosts.slice(1)) {
        assert.equal(host.failure?.kind, 'connection-lost')
        assert.match(host.failure.message, new RegExp(`^bastion ${bastion.replaceAll('.', String.raw`\.`)}: `))
      }
    } finally {
      await running.catch(() => undefined)
      await fleet.startHost(BASTION)
    }
  })

  it('a chain of bastions is refused with one line, exit 2', async () => {
    const {code, stderr} = await runCli(['status', '--clients', targets, '-J', `${bastion},${bastion}`], {
      env: fleet.env(),
    })
    assert.equal(code, 2)
    assert.equal(stderr, `Error: --jump: multi-hop jump "${bastion},${bastion}" is not supported: give one bastion\n`)
  })
})
