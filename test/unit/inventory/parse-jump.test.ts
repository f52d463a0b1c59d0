import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {applySshConfig, resolveJump} from '../../../src/core/inventory/apply-ssh-config.js'
import {parseInventory} from '../../../src/core/inventory/parse-inventory.js'
import {parseJump} from '../../../src/core/inventory/parse-jump.js'

const fail = (message: string): never => {
  throw new Error(message)
}

describe('parseJump', () => {
  const cases: Array<[string, ReturnType<typeof parseJump>]> = [
    ['bastion', {name: 'bastion', host: 'bastion'}],
    ['admin@bastion', {name: 'bastion', host: 'bastion', user: 'admin'}],
    ['admin@10.0.0.1:2222', {name: '10.0.0.1:2222', host: '10.0.0.1', port: 2222, user: 'admin'}],
    ['ssh://admin@bastion:2222', {name: 'bastion:2222', host: 'bastion', port: 2222, user: 'admin'}],
    ['ssh://bastion/', {name: 'bastion', host: 'bastion'}],
    ['[2001:db8::1]:22', {name: '[2001:db8::1]:22', host: '2001:db8::1', port: 22}],
    ['  bastion  ', {name: 'bastion', host: 'bastion'}],
    ['none', undefined],
    ['NONE', undefined],
  ]
  for (const [text, expected] of cases) it(`"${text}"`, () => assert.deepEqual(parseJump(text, fail), expected))

  const mistakes: Array<[string, RegExp]> = [
    ['a,b', /^multi-hop jump "a,b" is not supported: give one bastion$/],
    ['admin@a,admin@b:22', /multi-hop/],
    ['', /^empty jump host: give \[user@\]host\[:port\], or none$/],
    ['ssh://', /^empty jump host/],
    ['bastion:22x', /^invalid port "22x"/],
    ['bastion[1-2]', /^jump host "bastion\[1-2\]" must name one host, not a range$/],
    ['bad user@bastion', /^invalid user/],
  ]
  for (const [text, message] of mistakes)
    it(`refuses "${text}"`, () => assert.throws(() => parseJump(text, fail), {message}))
})

const sshConfig = [
  'Host bastion',
  '  HostName 10.0.0.1',
  '  User jumper',
  '  Port 2222',
  'Host web*',
  '  ProxyJump bastion',
  'Host db1',
  '  ProxyJump none',
  'Host db*',
  '  ProxyJump ops@10.9.9.9',
  'Host chain',
  '  ProxyJump a,b',
  'Host deep',
  '  ProxyJump hop',
  'Host hop',
  '  ProxyJump other',
  'Host *',
  '  User me',
].join('\n')

const context = {text: sshConfig, file: 'ssh_config', localUser: 'me', home: '/home/me'}

function resolve(inventory: string) {
  return applySshConfig(parseInventory(inventory, 'clients.conf').entries, context)
}

describe('ProxyJump from ssh_config', () => {
  it('resolves the bastion through the same file (HostName, User, Port)', () => {
    const [web] = resolve('web1')
    assert.deepEqual(web?.jump, {
      name: 'bastion',
      address: '10.0.0.1',
      port: 2222,
      user: 'jumper',
      identityFiles: [],
      knownHostsFiles: [],
      origin: {address: 'ssh_config', port: 'ssh_config', user: 'ssh_config'},
      line: 0,
    })
  })

  it('takes the first ProxyJump that matches, and none means direct', () => {
    const [db1, db2] = resolve('db1\ndb2')
    assert.equal(db1?.jump, undefined)
    assert.equal('jump' in (db1 ?? {}), false)
    assert.deepEqual([db2?.jump?.address, db2?.jump?.user, db2?.jump?.port], ['10.9.9.9', 'ops', 22])
  })

  it('leaves hosts without ProxyJump direct', () => {
    const [plain] = resolve('plain')
    assert.equal(plain?.jump, undefined)
  })

  it('refuses a chain of bastions, naming the file and the host', () => {
    assert.throws(
      () => resolve('chain'),
      /^UsageError: ssh_config: ProxyJump of chain: multi-hop jump "a,b" is not supported: give one bastion$/,
    )
    assert.throws(
      () => resolve('deep'),
      /ssh_config: ProxyJump of deep: bastion hop has a ProxyJump of its own \(other\): multi-hop jumps are not supported/,
    )
  })

  it("ignores a bastion's ProxyJump that names itself (Host * / ProxyJump bastion)", () => {
    const text = 'Host *\n  ProxyJump gate\n'
    const [host] = applySshConfig(parseInventory('node1', 'clients.conf').entries, {...context, text})
    assert.equal(host?.jump?.address, 'gate')
  })
})

describe('resolveJump (-J)', () => {
  it('resolves a -J value through ssh_config; none is no bastion', () => {
    assert.deepEqual(
      [resolveJump('bastion', '--jump', context)?.address, resolveJump('root@bastion:22', '--jump', context)?.user],
      ['10.0.0.1', 'root'],
    )
    assert.equal(resolveJump('none', '--jump', context), undefined)
  })

  it('names the flag in a mistake', () =>
    assert.throws(() => resolveJump('x,y', '--jump', context), /^UsageError: --jump: multi-hop jump "x,y"/))
})
