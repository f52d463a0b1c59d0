import assert from 'node:assert/strict'
import {connect, createServer, type Server, type Socket} from 'node:net'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import type {Host} from '../../src/core/inventory/host.js'

import {type Fleet, startFleet} from '../../fixtures/fleet/fleet.js'
import {HostFailure} from '../../src/core/host-result.js'
import {makeConnectOptions} from '../../src/core/ssh/connect-options.js'
import {openSession} from '../../src/core/ssh/connect.js'

/**
 * A TCP front for a fleet host that drops the first `drops` connections before the SSH banner,
 * as sshd's MaxStartups does to a burst, and relays the later ones.
 */
async function flakyFront(
  target: {address: string; port: number},
  drops: number,
): Promise<{server: Server; port: number; seen: () => number}> {
  let seen = 0
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    seen++
    if (seen <= drops) {
      client.destroy()
      return
    }

    const upstream = connect(target.port, target.address)
    client.pipe(upstream).pipe(client)
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  server.on('close', () => {
    for (const socket of sockets) socket.destroy()
  })
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve)
  })
  const address = server.address()
  assert.ok(address !== null && typeof address === 'object')
  return {server, port: address.port, seen: () => seen}
}

describe('handshake retries against a host that drops connections before the banner', () => {
  let fleet: Fleet
  const fronts: Server[] = []
  const hostAt = (port: number): Host => ({
    name: `127.0.0.1:${port}`,
    address: '127.0.0.1',
    port,
    user: fleet.host(1).user,
    identityFiles: [fleet.identity],
    knownHostsFiles: [join(fleet.dir, `retry_known_hosts_${port}`)],
    origin: {address: 'inventory', port: 'inventory', user: 'inventory'},
    line: 1,
  })
  const options = (retries: number) =>
    makeConnectOptions({connectTimeoutSeconds: 5, retries, hostKeyCheck: 'accept-new', env: {}, jumpConcurrency: 1})

  before(async () => {
    fleet = await startFleet({hosts: 1})
  })

  after(async () => {
    for (const server of fronts) server.close()
    await fleet?.down()
  })

  it('logs in on the third try after two dropped handshakes', async () => {
    const front = await flakyFront(fleet.host(1), 2)
    fronts.push(front.server)
    const session = await openSession(hostAt(front.port), options(2))
    try {
      const result = await session.exec('echo $HOME')
      assert.equal(result.stdout.trim(), fleet.host(1).home)
      assert.equal(front.seen(), 3)
    } finally {
      session.close()
    }
  })

  it('gives up after --retries and says the handshake failed', async () => {
    const front = await flakyFront(fleet.host(1), 100)
    fronts.push(front.server)
    await assert.rejects(openSession(hostAt(front.port), options(1)), (error: unknown) => {
      assert.ok(error instanceof HostFailure)
      assert.equal(error.failure.kind, 'handshake-failed')
      assert.match(error.failure.message, /dropped the connection before the SSH handshake/)
      return true
    })
    assert.equal(front.seen(), 2)
  })
})
