import assert from 'node:assert/strict'
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import type {DataReport} from '../../src/core/data/types.js'

import {type Fleet} from '../../fixtures/fleet/fleet.js'
import {runCli, runCliJson} from '../helpers/cli.js'
import {assertNothingLost, locate, tweets, useDataFixture, writeDataSet} from '../helpers/data-set.js'

/** Every file and folder under each host's home, to see that a refused command wrote nothing. */
function homeListings(fleet: Fleet): string[][] {
  return fleet.hosts.map((host) =>
    existsSync(host.home) ? readdirSync(host.home, {recursive: true}).map(String).sort() : [],
  )
}

describe('director data: names, re-runs and counts', () => {
  const ctx = useDataFixture(12, 'data-inputs')
  const {fresh} = ctx

  // Twelve hosts: past ten, a listener per host on one signal made node warn on stderr.
  for (const project of ['..', '../escape', '.', '', 'a/b']) {
    it(`refuses the project name ${JSON.stringify(project)} before anything is written, exit 2`, async () => {
      const {dir} = fresh()
      const set = writeDataSet(dir, tweets(4))
      const homes = homeListings(ctx.fleet)
      const {code, stdout, stderr} = await runCli(['data', dir, project], {env: ctx.fleet.env()})
      assert.equal(code, 2)
      assert.equal(stdout, '')
      const [line = '', ...rest] = stderr.split('\n')
      assert.ok(line.startsWith(`Error: invalid project name ${JSON.stringify(project)}: `), stderr)
      assert.deepEqual(rest, [''])
      assert.deepEqual(homeListings(ctx.fleet), homes)
      assert.ok(!existsSync(join(dir, '.director')), 'a local manifest was written')
      assert.ok([...locate(ctx.fleet, dir, 'x', set).values()].every((w) => w.local))
    })
  }

  it('a re-run after every file was delivered says so and exits 0; a folder that never had data is an error', async () => {
    const {dir, project} = fresh()
    const set = writeDataSet(dir, tweets(24))
    assert.equal((await runCli(['data', dir, project], {env: ctx.fleet.env()})).code, 0)
    assertNothingLost(ctx.fleet, {dir, project, set})
    const again = await runCli(['data', dir, project], {env: ctx.fleet.env()})
    assert.equal(again.code, 0, again.stderr)
    assert.match(again.stdout, /^Nothing left to send: 24 files delivered earlier$/m)
    assert.equal(again.stderr, '')
    const json = await runCliJson<DataReport>(['data', dir, project], {env: ctx.fleet.env()})
    assert.deepEqual([json.code, json.json.alreadyDelivered, json.json.delivered], [0, 24, 0])
    const other = fresh()
    const never = await runCli(['data', dir, other.project], {env: ctx.fleet.env()})
    assert.equal(never.code, 2)
    assert.match(never.stderr, /^Error: no data files ending in \.txt, \.zip, \.gz in /)
  })

  it('over 12 hosts stderr holds only the progress lines', async () => {
    const {dir, project} = fresh()
    const set = writeDataSet(dir, tweets(48, 2048))
    const {code, stderr} = await runCli(['data', dir, project], {env: ctx.fleet.env()})
    assert.equal(code, 0)
    const other = stderr.split('\n').filter((line) => line !== '' && !line.startsWith('Transferred '))
    assert.deepEqual(other, [])
    assertNothingLost(ctx.fleet, {dir, project, set})
  })

  it('a host nobody answers on: the live line, the summary and --json count the same failed files', async () => {
    const {dir, project} = fresh()
    const set = writeDataSet(dir, tweets(13))
    // Nothing listens on 127.0.3.1: its share (tweet_13) fails before a byte is sent.
    const hosts = [...ctx.fleet.hosts.map((host) => host.address), `127.0.3.1:${ctx.fleet.port}`]
    const clients = ctx.fleet.writeClientsConf(hosts, `clients-${project}.conf`)
    const env = {...ctx.fleet.env(), DIRECTOR_CLIENTS: clients}
    const text = await runCli(['data', dir, project, '--keep', '-i', ctx.fleet.identity], {env})
    assert.equal(text.code, 1)
    assert.equal(
      text.stderr.trim().split('\n').at(-1),
      'Transferred 12/13 files | 0 files failed checksum | 1 files failed',
    )
    assert.match(text.stdout, /^Delivered 12\/13 files .*; 1 failed, its source kept in /m)
    assert.match(text.stdout, /^not delivered: tweet_13\.txt -> 127\.0\.3\.1:\d+: refused: /m)
    const {json} = await runCliJson<DataReport>(['data', dir, project, '-i', ctx.fleet.identity], {env})
    assert.equal(json.undelivered.length, 1)
    assert.equal(
      json.hosts.reduce((sum, share) => sum + share.failed, 0),
      json.undelivered.length,
    )
    for (const share of json.hosts) assert.equal(share.delivered + share.failed, share.files, share.host)
    assertNothingLost(ctx.fleet, {dir, project, set})
  })
})
