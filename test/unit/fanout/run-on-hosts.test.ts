import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {setTimeout as sleep} from 'node:timers/promises'

import {UsageError} from '../../../src/core/errors.js'
import {runOnHosts} from '../../../src/core/fanout/run-on-hosts.js'
import {failure, HostFailure} from '../../../src/core/host-result.js'

const hosts = Array.from({length: 12}, (_, i) => ({name: `h${i + 1}`}))

describe('runOnHosts', () => {
  it('never runs more than `concurrency` steps at once, and returns results in host order', async () => {
    let running = 0
    let peak = 0
    const results = await runOnHosts(hosts, {concurrency: 3}, async (host) => {
      running++
      peak = Math.max(peak, running)
      // Later hosts finish first, so finish order differs from host order.
      await sleep(30 - Number(host.name.slice(1)) * 2)
      running--
      return host.name.toUpperCase()
    })
    assert.equal(peak, 3)
    assert.deepEqual(
      results.map((r) => (r.ok ? r.value : r.failure.kind)),
      hosts.map((h) => h.name.toUpperCase()),
    )
  })

  it('tells onResult of each host as it finishes, in finish order, before the whole fan-out ends', async () => {
    const heard: string[] = []
    const results = await runOnHosts(
      hosts.slice(0, 3),
      {concurrency: 3},
      async (host) => {
        await sleep(host.name === 'h1' ? 40 : 5)
        if (host.name === 'h3') throw new HostFailure(failure('refused', 'no sshd'))
        return host.name
      },
      (result) => heard.push(`${result.host}:${result.ok ? 'ok' : result.failure.kind}`),
    )
    assert.equal(heard.length, 3)
    assert.equal(heard.at(-1), 'h1:ok', 'the slowest host is heard last')
    assert.deepEqual([...heard].sort(), ['h1:ok', 'h2:ok', 'h3:refused'])
    assert.deepEqual(
      results.map((r) => r.host),
      ['h1', 'h2', 'h3'],
    )
  })

  it('turns a HostFailure into a failed result and keeps the others', async () => {
    const results = await runOnHosts(hosts.slice(0, 3), {concurrency: 8}, async (host) => {
      if (host.name === 'h2') throw new HostFailure(failure('refused', 'no sshd'))
      return 1
    })
    assert.deepEqual(
      results.map((r) => (r.ok ? 'ok' : `${r.failure.kind}: ${r.failure.message}`)),
      ['ok', 'refused: no sshd', 'ok'],
    )
  })

  it('fires the per-host deadline as a timeout failure', async () => {
    const [result] = await runOnHosts([{name: 'slow'}], {concurrency: 1, timeoutMs: 50}, async (_host, signal) => {
      await sleep(5000, undefined, {signal})
      return 1
    })
    assert.equal(result?.ok, false)
    if (result && !result.ok) {
      assert.equal(result.failure.kind, 'timeout')
      assert.ok(result.ms < 2000, `took ${result.ms} ms`)
    }
  })

  it('ends every host as aborted when the run is interrupted, including those not started', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(new Error('interrupted')), 30)
    const results = await runOnHosts(hosts, {concurrency: 2, signal: controller.signal}, async (_host, signal) => {
      await sleep(5000, undefined, {signal})
      return 1
    })
    assert.deepEqual(
      results.map((r) => [r.host, r.ok ? 'ok' : r.failure.kind]),
      hosts.map((host) => [host.name, 'aborted']),
    )
  })

  it('rethrows a usage error: the command itself is wrong', async () => {
    await assert.rejects(
      runOnHosts(hosts.slice(0, 1), {concurrency: 1}, async () => {
        throw new UsageError('bad')
      }),
      UsageError,
    )
  })
})
