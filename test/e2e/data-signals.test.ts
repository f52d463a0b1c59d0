import assert from 'node:assert/strict'
import {chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import type {DataReport} from '../../src/core/data/types.js'

import {runCli, runCliJson} from '../helpers/cli.js'
import {assertNothingLost, locate, remoteDataRoot, tweets, useDataFixture, writeDataSet} from '../helpers/data-set.js'

/** stderr of a run without a terminal holds only the progress lines: no warning, no error, no stack. */
function assertOnlyProgress(stderr: string): void {
  const other = stderr.split('\n').filter((line) => line !== '' && !line.startsWith('Transferred '))
  assert.deepEqual(other, [], stderr)
}

describe('director data interrupted by a signal', () => {
  const ctx = useDataFixture(4, 'data-signals')
  const {fresh} = ctx

  /** True once some host has a batch arriving in the project's data folder. */
  const uploading = (project: string) => () =>
    ctx.fleet.hosts.some((host) => {
      const root = remoteDataRoot(ctx.fleet, host.index, project)
      return existsSync(root) && readdirSync(root).some((name) => name.startsWith('.director-part-'))
    })

  for (const [signal, exitCode] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} during a large run: summary, exit ${exitCode}, no stack trace; nothing lost; the re-run finishes`, async () => {
      const {dir, project} = fresh()
      const set = writeDataSet(dir, tweets(400, 256 * 1024))
      const interrupted = await runCli(['data', dir, project], {
        env: ctx.fleet.env(),
        interruptWhen: uploading(project),
        interruptSignal: signal,
      })
      assert.equal(interrupted.code, exitCode, interrupted.stderr)
      assertOnlyProgress(interrupted.stderr)
      assert.match(interrupted.stdout, /^Delivered \d+\/400 files .*; \d+ failed, their sources kept in /m)
      assertNothingLost(ctx.fleet, {dir, project, set}, {partsAllowed: true})
      const again = await runCli(['data', dir, project], {env: ctx.fleet.env()})
      assert.equal(again.code, 0, again.stderr)
      assertNothingLost(ctx.fleet, {dir, project, set})
      assert.ok([...locate(ctx.fleet, dir, project, set).values()].every((w) => !w.local && w.hosts.length === 1))
    })
  }

  it('Ctrl-C while a host moves a verified batch into place: exit 130, nothing lost; the re-run finishes', async () => {
    const {dir, project} = fresh()
    const set = writeDataSet(dir, tweets(40, 4096))
    // Host 1's mv says when it starts, then takes a second: the interrupt lands inside the commit.
    const {home} = ctx.fleet.host(1)
    const bin = join(home, '.fleet-bin')
    mkdirSync(bin, {recursive: true})
    const marker = join(home, '.mv-started')
    writeFileSync(join(bin, 'mv'), `#!/bin/sh\ntouch '${marker}'\nsleep 1\nexec /bin/mv "$@"\n`)
    chmodSync(join(bin, 'mv'), 0o755)
    try {
      const {code, json} = await runCliJson<DataReport>(['data', dir, project], {
        env: ctx.fleet.env(),
        interruptWhen: () => existsSync(marker),
      })
      assert.equal(code, 130)
      assert.ok(existsSync(marker), 'the interrupt came before the moves')
      const share = json.hosts.find((h) => h.host === '127.0.1.1')
      assert.equal((share?.delivered ?? 0) + (share?.failed ?? 0), share?.files)
      assertNothingLost(ctx.fleet, {dir, project, set}, {partsAllowed: true})
    } finally {
      rmSync(bin, {recursive: true, force: true})
    }

    const again = await runCli(['data', dir, project], {env: ctx.fleet.env()})
    assert.equal(again.code, 0, again.stderr)
    assertNothingLost(ctx.fleet, {dir, project, set})
    assert.ok([...locate(ctx.fleet, dir, project, set).values()].every((w) => !w.local && w.hosts.length === 1))
  })
})
