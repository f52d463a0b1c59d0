import assert from 'node:assert/strict'
import {createServer} from 'node:net'
import {after, describe, it} from 'node:test'

import {type EchoServer, isFailure, NOT_UNDERSTOOD, startEchoServer} from '../../../src/core/local/echo-server.js'
import {converse, freePorts} from '../../helpers/local.js'

async function start(port: number): Promise<EchoServer> {
  const server = await startEchoServer({host: '127.0.0.1', port})
  if (isFailure(server)) throw new Error(server.message)
  return server
}

describe('echo server (in process)', () => {
  const servers: EchoServer[] = []

  after(async () => {
    await Promise.all(servers.map(async (s) => s.close()))
  })

  it('answers each message with the original texts, in order', async () => {
    const [port = 0] = await freePorts(1)
    servers.push(await start(port))
    const {lines} = await converse(port, ['ping\nmem_stat\nhello\n\nPING\n'], 5)
    assert.equal(lines[0], `Echo sent from 127.0.0.1:${port}`)
    assert.match(lines[1] ?? '', /^Memory use: rss \d+\.\d MiB, heap /)
    assert.deepEqual(lines.slice(2), [NOT_UNDERSTOOD, NOT_UNDERSTOOD, NOT_UNDERSTOOD])
  })

  it('reassembles messages cut across reads', async () => {
    const [port = 0] = await freePorts(1)
    servers.push(await start(port))
    const {lines} = await converse(port, ['p', 'i', 'ng\r', '\nmem', '_stat\npi', 'ng\n'], 3)
    assert.equal(lines.length, 3)
    assert.equal(lines[0], `Echo sent from 127.0.0.1:${port}`)
    assert.equal(lines[2], `Echo sent from 127.0.0.1:${port}`)
  })

  it('survives abrupt disconnects and keeps answering', async () => {
    const [port = 0] = await freePorts(1)
    servers.push(await start(port))
    // Half a message, then the peer vanishes (reset) before any reply.
    await Promise.all(Array.from({length: 20}, async () => converse(port, ['ping\nmem_st'], 0, 200)))
    const {lines} = await converse(port, ['ping\n'], 1)
    assert.deepEqual(lines, [`Echo sent from 127.0.0.1:${port}`])
  })

  it('shuts down on "shutdown": replies, then stops listening', async () => {
    const [port = 0] = await freePorts(1)
    const server = await start(port)
    const idle = converse(port, [], 1, 5000)
    const {lines, closed} = await converse(port, ['shutdown\nping\n'], 2)
    assert.deepEqual(lines, [`Client 127.0.0.1:${port} shutting down.`])
    assert.equal(closed, true)
    await server.closed
    assert.equal((await idle).closed, true, 'idle connections are closed too')
    await assert.rejects(converse(port, ['ping\n'], 1), {code: 'ECONNREFUSED'})
  })

  it('reports a port in use as a failure, not an exception', async () => {
    const [port = 0] = await freePorts(1)
    const squatter = createServer()
    await new Promise<void>((resolve) => {
      squatter.listen(port, '127.0.0.1', () => resolve())
    })
    try {
      const result = await startEchoServer({host: '127.0.0.1', port})
      assert.ok(isFailure(result))
      assert.deepEqual(result, {kind: 'port-in-use', message: `port ${port} is already in use by another process`})
    } finally {
      await new Promise((resolve) => {
        squatter.close(resolve)
      })
    }
  })
})
