import assert from 'node:assert/strict'
// director over the large fleet's 112 hosts (7 sshds of 16 addresses, a user per host): every
// host runs the command and answers as its own user, every host logs in for status, and
// director's peak memory stays bounded by the fan-out, not the fleet.
import {mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'

import type {RunOnFleetReport} from '../../src/core/run/run-on-fleet.js'
import type {StatusReport} from '../../src/core/status/check-status.js'

import {type Fleet, startFleet} from '../../fixtures/fleet/fleet.js'
import {runCliJson} from '../helpers/cli.js'

const HOSTS = 112
/** Measured at about 95 MiB for these 112 hosts at fan-out 64; the bound leaves room, not a fleet's worth. */
const RSS_BOUND_MIB = 160

describe(`director over a large fleet of ${HOSTS} hosts`, () => {
  let current: Fleet | undefined
  const work = mkdtempSync(join(tmpdir(), 'director-scale-e2e-'))
  const fleet = (): Fleet => current ?? assert.fail('the fleet did not start')

  before(async () => {
    current = await startFleet({hosts: HOSTS, large: true})
  })

  after(async () => {
    await current?.down()
    rmSync(work, {recursive: true, force: true})
  })

  // `t` is node:test's context (for t.diagnostic), not mocha's done callback.
  // eslint-disable-next-line mocha/handle-done-callback
  test('run -c reaches every host as its own user, in bounded memory', async (t) => {
    const args = ['run', '-c', 'id -un', '--project', 'scale', '--out', join(work, 'out'), '-f', '64']
    const {code, json, peakRss, stderr} = await runCliJson<RunOnFleetReport>(args, {
      env: fleet().env(),
      timeoutMs: 170_000,
    })
    assert.equal(code, 0, stderr)
    assert.equal(json.counts.ok, HOSTS)
    for (const [i, run] of json.hosts.entries()) {
      const host = fleet().host(i + 1)
      assert.equal(run.state, 'ok', `${run.host}: ${run.failure?.message}`)
      assert.equal(run.stdoutHead, `${host.user}\n`, run.host)
      // The run folder is on the host's own disk, in its own home.
      assert.equal(readdirSync(join(host.home, 'director/run/scale', json.runId)).length, 1, run.host)
    }

    const mib = peakRss / 1024 / 1024
    t.diagnostic(`peak RSS of director over ${HOSTS} hosts: ${mib.toFixed(0)} MiB`)
    assert.ok(peakRss > 0, 'memory was sampled')
    assert.ok(mib < RSS_BOUND_MIB, `peak RSS ${mib.toFixed(0)} MiB`)
  })

  test('status --no-icmp logs in to every host', async () => {
    const {code, json, stderr} = await runCliJson<StatusReport>(['status', '--no-icmp'], {
      env: fleet().env(),
      timeoutMs: 170_000,
    })
    assert.equal(code, 0, stderr)
    assert.equal(json.online, HOSTS)
    assert.ok(json.hosts.every((host) => host.on && host.ssh.ok))
  })
})
