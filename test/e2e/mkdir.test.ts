import assert from 'node:assert/strict'
import {existsSync, readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import type {MkdirReport} from '../../src/core/mkdir/mkdir-on-hosts.js'

import {type Fleet, startFleet} from '../../fixtures/fleet/fleet.js'
import {runCli, runCliJson} from '../helpers/cli.js'

const isDir = (path: string) => existsSync(path) && statSync(path).isDirectory()

describe('director mkdir against a real sshd fleet', () => {
  let fleet: Fleet

  before(async () => {
    fleet = await startFleet({hosts: 3})
  })

  after(async () => fleet?.down())

  it('creates the folder in every host home, prints one line per host, exit 0', async () => {
    const {code, stdout} = await runCli(['mkdir', '~', 'results'], {env: fleet.env()})
    assert.equal(code, 0)
    const lines = stdout.trimEnd().split('\n')
    assert.deepEqual(lines, [
      ...fleet.hosts.map((h) => `created ${h.home}/results @${h.address}`),
      '3/3 hosts ok (3 created, 0 existed, 0 failed)',
    ])
    for (const host of fleet.hosts) assert.ok(isDir(join(host.home, 'results')))
  })

  it('writes only to the selected host: a folder made on host 1 is not on host 2', async () => {
    const {code} = await runCli(['mkdir', '.', 'only-one', '--limit', '127.0.1.1'], {env: fleet.env()})
    assert.equal(code, 0)
    const [one, two, three] = fleet.hosts
    assert.ok(one && two && three)
    assert.ok(isDir(join(one.home, 'only-one')))
    assert.ok(!existsSync(join(two.home, 'only-one')))
    assert.ok(!existsSync(join(three.home, 'only-one')))
  })

  it('reports an existing folder as exists (success)', async () => {
    const {code, json} = await runCliJson<MkdirReport>(['mkdir', '~', 'results'], {env: fleet.env()})
    assert.equal(code, 0)
    assert.deepEqual([json.created, json.exists, json.failed], [0, 3, 0])
    assert.ok(json.results.every((r) => r.ok && r.value.outcome === 'exists'))
  })

  it('creates hostile names literally and executes nothing', async () => {
    const names = [
      'a b',
      "it's",
      '"q"',
      '$(touch pwned)',
      '`touch pwned2`',
      'x;touch pwned3',
      'new\nline',
      '-rf',
      'ünï €',
      '*',
    ]
    for (const name of names) {
      const {code, stderr} = await runCli(['mkdir', '--parents', '--limit', '127.0.1.2', '--', '~/hostile', name], {
        env: fleet.env(),
      })
      assert.equal(code, 0, `${JSON.stringify(name)}: ${stderr}`)
    }

    const home = fleet.hosts[1]?.home ?? ''
    assert.deepEqual(readdirSync(join(home, 'hostile')).sort(), [...names].sort())
    for (const marker of ['pwned', 'pwned2', 'pwned3']) {
      assert.ok(!existsSync(join(home, marker)) && !existsSync(join(home, 'hostile', marker)), `${marker} exists`)
    }
  })

  it('fails on a host whose parent is missing unless --parents', async () => {
    const missing = await runCliJson<MkdirReport>(['mkdir', '~/no/such/parent', 'x', '--limit', '127.0.1.3'], {
      env: fleet.env(),
    })
    assert.equal(missing.code, 1)
    const [result] = missing.json.results
    assert.ok(result && !result.ok)
    assert.equal(result.failure.kind, 'no-such-path')
    assert.match(result.failure.message, /no\/such\/parent does not exist on 127\.0\.1\.3 \(use --parents/)

    const parents = await runCli(['mkdir', '~/no/such/parent', 'x', '--parents', '--limit', '127.0.1.3'], {
      env: fleet.env(),
    })
    assert.equal(parents.code, 0)
    assert.ok(isDir(join(fleet.hosts[2]?.home ?? '', 'no/such/parent/x')))
  })

  it('fails where the parent is a file', async () => {
    await runCli(['mkdir', '~', 'plain'], {env: fleet.env()})
    const {code, json} = await runCliJson<MkdirReport>(['mkdir', '/etc/hostname', 'x', '--limit', '127.0.1.1'], {
      env: fleet.env(),
    })
    assert.equal(code, 1)
    assert.equal(json.results[0]?.ok === false && json.results[0].failure.kind, 'exists-not-dir')
  })

  it('reports a host that is down and still creates the folder on the others', async () => {
    await fleet.stopHost(3)
    try {
      const {code, json} = await runCliJson<MkdirReport>(['mkdir', '~', 'while-down'], {env: fleet.env()})
      assert.equal(code, 1)
      assert.deepEqual(
        json.results.map((r) => (r.ok ? r.value.outcome : r.failure.kind)),
        ['created', 'created', 'refused'],
      )
      assert.equal(json.failed, 1)
    } finally {
      await fleet.startHost(3)
    }
  })

  it('rejects a folder name with a slash before connecting, exit 2', async () => {
    const {code, stderr, stdout} = await runCli(['mkdir', '~', 'a/b'], {env: fleet.env()})
    assert.equal(code, 2)
    assert.equal(stdout, '')
    assert.equal(stderr, 'Error: invalid folder name "a/b": give one name, without "/" (e.g. "results")\n')
  })
})
