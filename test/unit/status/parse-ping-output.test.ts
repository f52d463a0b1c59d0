import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {parsePingOutput} from '../../../src/core/status/parse-ping-output.js'
import {fixtures} from '../../helpers/paths.js'

const read = (name: string) => readFileSync(join(fixtures, 'outputs', name), 'utf8')

describe('parsePingOutput (captured iputils output)', () => {
  const cases: Array<[string, ReturnType<typeof parsePingOutput>]> = [
    ['ping-ok.txt', {state: 'replied', sent: 2, received: 2, rttMs: 0.033}],
    ['ping-ipv6-ok.txt', {state: 'replied', sent: 2, received: 2, rttMs: 0.059}],
    ['ping-no-reply.txt', {state: 'replied', sent: 2, received: 0, rttMs: undefined}],
  ]
  for (const [file, expected] of cases) {
    it(file, () => assert.deepEqual(parsePingOutput(read(file), ''), expected))
  }

  it('ping-unknown-host.txt (stderr) names the reason', () =>
    assert.deepEqual(parsePingOutput('', read('ping-unknown-host.txt')), {
      state: 'error',
      message: 'nonexistent.invalid: Name or service not known',
    }))

  it('ping-network-unreachable.txt (stderr) names the reason', () =>
    assert.deepEqual(parsePingOutput('', read('ping-network-unreachable.txt')), {
      state: 'error',
      message: 'connect: Network is unreachable',
    }))

  it('says when ping printed nothing', () =>
    assert.deepEqual(parsePingOutput('', ''), {state: 'error', message: 'ping printed no statistics'}))
})
