import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {
  classifyForwardError,
  classifySshError,
  isTransientHandshakeError,
} from '../../../src/core/ssh/classify-ssh-error.js'

const error = (message: string, extra: {code?: string; level?: string} = {}) => Object.assign(new Error(message), extra)
const context = {target: '10.0.0.1:22', timeoutSeconds: 10}

describe('classifySshError', () => {
  const cases: Array<[string, Error, 'auth' | 'handshake' | 'tcp', string]> = [
    ['ECONNREFUSED', error('connect ECONNREFUSED', {code: 'ECONNREFUSED'}), 'tcp', 'refused'],
    ['EHOSTUNREACH', error('x', {code: 'EHOSTUNREACH'}), 'tcp', 'unreachable'],
    ['ENETUNREACH', error('x', {code: 'ENETUNREACH'}), 'tcp', 'unreachable'],
    ['ENOTFOUND', error('getaddrinfo ENOTFOUND', {code: 'ENOTFOUND'}), 'tcp', 'dns'],
    ['ETIMEDOUT', error('x', {code: 'ETIMEDOUT'}), 'tcp', 'timeout'],
    ['auth level', error('x', {level: 'client-authentication'}), 'auth', 'auth-failed'],
    ['auth message', error('All configured authentication methods failed'), 'auth', 'auth-failed'],
    ['lost before handshake', error('Connection lost before handshake'), 'handshake', 'handshake-failed'],
    ['reset in handshake', error('read ECONNRESET', {code: 'ECONNRESET'}), 'handshake', 'handshake-failed'],
    ['reset during auth', error('read ECONNRESET', {code: 'ECONNRESET'}), 'auth', 'handshake-failed'],
    ['anything else', error('Unexpected packet'), 'auth', 'protocol'],
  ]
  for (const [title, input, stage, kind] of cases) {
    it(`${title} -> ${kind}`, () => assert.equal(classifySshError(input, {...context, stage}).kind, kind))
  }

  it('says what to do for a refusal', () =>
    assert.equal(
      classifySshError(error('x', {code: 'ECONNREFUSED'}), {...context, stage: 'tcp'}).message,
      'connection refused by 10.0.0.1:22: is sshd running on that port?',
    ))
})

describe('isTransientHandshakeError', () => {
  it('retries drops before the handshake finished', () => {
    assert.equal(isTransientHandshakeError(error('Connection lost before handshake'), 'handshake'), true)
    assert.equal(isTransientHandshakeError(error('x', {code: 'ECONNRESET'}), 'handshake'), true)
  })

  it('does not retry auth failures, refusals or resets during auth', () => {
    assert.equal(isTransientHandshakeError(error('All configured authentication methods failed'), 'auth'), false)
    assert.equal(isTransientHandshakeError(error('x', {code: 'ECONNREFUSED'}), 'tcp'), false)
    assert.equal(isTransientHandshakeError(error('x', {code: 'ECONNRESET'}), 'auth'), false)
  })
})

describe('classifyForwardError', () => {
  const refusal = (description: string, reason: number) =>
    Object.assign(new Error(`(SSH) Channel open failure: ${description}`), {reason})
  const cases: Array<[string, number, string, string]> = [
    [
      'Connection refused',
      2,
      'refused',
      'bastion gate: connection refused by 10.0.0.5:22: is sshd running on that port?',
    ],
    ['Connection timed out', 2, 'timeout', 'bastion gate: TCP connect to 10.0.0.5:22 timed out'],
    ['No route to host', 2, 'unreachable', 'bastion gate: 10.0.0.5:22 is unreachable (No route to host)'],
    [
      'open failed',
      1,
      'refused',
      'bastion gate does not forward to 10.0.0.5:22 (AllowTcpForwarding or PermitOpen on gate)',
    ],
    ['', 2, 'protocol', 'bastion gate cannot open a connection to 10.0.0.5:22: no reason given'],
  ]
  for (const [description, reason, kind, message] of cases) {
    it(`"${description}" (${reason}) -> ${kind}`, () =>
      assert.deepEqual(classifyForwardError(refusal(description, reason), 'gate', '10.0.0.5:22'), {kind, message}))
  }
})
