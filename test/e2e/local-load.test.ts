import assert from 'node:assert/strict'
import {randomBytes} from 'node:crypto'
import {Socket} from 'node:net'
import {after, before, describe, it} from 'node:test'

import type {PingReport} from '../../src/core/local/ping-local.js'
import type {StartReport} from '../../src/core/local/types.js'

import {MAX_LINE_BYTES, NOT_UNDERSTOOD} from '../../src/core/local/echo-server.js'
import {converse, freePorts, isRunning, killAll, makeSandbox, runCli} from '../helpers/local.js'

const CONNECTIONS = 200
const MESSAGES = 50

describe('detached echo service: load and hostile input (e2e)', () => {
  let port = 0
  let pid = 0
  let flags: string[] = []
  let cleanup = (): void => {}

  before(async () => {
    ;[port = 0] = await freePorts(1)
    const box = makeSandbox([port])
    cleanup = box.cleanup
    flags = ['--ports', box.portsFile, '--state-dir', box.stateDir]
    const run = await runCli(['start_local', ...flags, '--json'])
    const report = JSON.parse(run.stdout) as StartReport
    const [result] = report.results
    assert.ok(result?.ok, run.stdout)
    pid = result.pid
  })

  after(async () => {
    await runCli(['shutdown_local', ...flags])
    killAll([pid])
    cleanup()
  })

  const echo = (): string => `Echo sent from 127.0.0.1:${port}`

  async function assertStillServing(): Promise<void> {
    assert.ok(isRunning(pid), 'the service process is still running')
    const {lines} = await converse(port, ['ping\n'], 1)
    assert.deepEqual(lines, [echo()])
  }

  it(`${CONNECTIONS} concurrent connections x ${MESSAGES} messages: every reply correct`, async () => {
    const messages = Array.from({length: MESSAGES}, (_, i) =>
      i % 10 === 9 ? 'mem_stat' : i % 2 === 0 ? 'ping' : `hello ${i}`,
    )
    const payload = Buffer.from(messages.map((m) => m + '\n').join(''))
    // All connections open before any message is sent: they really are concurrent.
    const sockets = await Promise.all(
      Array.from(
        {length: CONNECTIONS},
        async () =>
          new Promise<Socket>((resolve, reject) => {
            const socket = new Socket()
            socket.once('error', reject)
            socket.connect(port, '127.0.0.1', () => resolve(socket))
          }),
      ),
    )
    try {
      const replies = await Promise.all(
        sockets.map(
          async (socket, n) =>
            new Promise<string[]>((resolve, reject) => {
              let text = ''
              const timer = setTimeout(
                () => reject(new Error(`connection ${n}: timed out with ${text.length} bytes`)),
                30_000,
              )
              socket.setEncoding('utf8')
              socket.on('data', (chunk: string) => {
                text += chunk
                const lines = text.split('\n')
                if (lines.length > MESSAGES) {
                  clearTimeout(timer)
                  resolve(lines.slice(0, MESSAGES))
                }
              })
              // Cut at odd places so that messages straddle reads.
              const cut1 = 7 + (n % 13)
              const cut2 = Math.floor(payload.length / 2) + (n % 5)
              socket.write(payload.subarray(0, cut1))
              setTimeout(() => {
                socket.write(payload.subarray(cut1, cut2))
                socket.write(payload.subarray(cut2))
              }, n % 3)
            }),
        ),
      )
      for (const lines of replies) {
        assert.equal(lines.length, MESSAGES)
        for (const [i, message] of messages.entries()) {
          const line = lines[i] ?? ''
          if (message === 'ping') assert.equal(line, echo())
          else if (message === 'mem_stat') assert.match(line, /^Memory use: rss /)
          else assert.equal(line, NOT_UNDERSTOOD)
        }
      }
    } finally {
      for (const socket of sockets) socket.destroy()
    }

    await assertStillServing()
  })

  it('a line over 64 KiB: error reply, that connection closed, the service unharmed', async () => {
    const long = await converse(port, ['x'.repeat(MAX_LINE_BYTES + 10) + '\n'], 2)
    assert.deepEqual(long.lines, [
      `Error: message longer than ${MAX_LINE_BYTES} bytes refused; closing the connection.`,
    ])
    assert.equal(long.closed, true)
    // Answers before the oversize line still arrive; nothing after it is read.
    const mixed = await converse(port, ['ping\n', 'y'.repeat(200 * 1024), 'ping\n'], 3)
    assert.deepEqual(mixed.lines, [
      echo(),
      `Error: message longer than ${MAX_LINE_BYTES} bytes refused; closing the connection.`,
    ])
    assert.equal(mixed.closed, true)
    const exact = await converse(port, ['z'.repeat(MAX_LINE_BYTES) + '\nping\n'], 2)
    assert.deepEqual(exact.lines, [NOT_UNDERSTOOD, echo()])
    await assertStillServing()
  })

  it('binary bytes and abrupt disconnects', async () => {
    const noNewline = Buffer.from(Array.from({length: 256}, (_, i) => i).filter((b) => b !== 10))
    const binary = await converse(port, [Buffer.concat([noNewline, Buffer.from('\nping\n')])], 2)
    assert.deepEqual(binary.lines, [NOT_UNDERSTOOD, echo()])
    const noise = randomBytes(64 * 1024)
    const expected = noise.filter((b) => b === 10).length
    const random = await converse(port, [noise], expected)
    assert.equal(random.lines.length, expected)
    assert.ok(random.lines.every((line) => line === NOT_UNDERSTOOD || line === echo()))
    const dropped = Array.from({length: 50}, async () => converse(port, ['ping\nmem_stat\npin'], 0, 100))
    await Promise.all(dropped)
    const ping = await runCli(['ping', ...flags, '--json'])
    assert.equal(ping.code, 0)
    assert.equal((JSON.parse(ping.stdout) as PingReport).results[0]?.ok, true)
    await assertStillServing()
  })
})
