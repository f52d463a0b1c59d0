import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {applySshConfig} from '../../../src/core/inventory/apply-ssh-config.js'
import {parseInventory} from '../../../src/core/inventory/parse-inventory.js'

const sshConfig = [
  'Host web*',
  '  HostName %h.example.net',
  '  User deploy',
  '  Port 2200',
  '  IdentityFile ~/.ssh/deploy_key',
  '  IdentityFile /keys/%r_%h',
  'Host db1',
  '  hostname 10.1.1.1',
  '  UserKnownHostsFile /etc/fleet_known_hosts ~/.ssh/extra_hosts',
  'Host *',
  '  User fallback',
].join('\n')

function resolve(inventory: string, text: string | undefined) {
  return applySshConfig(parseInventory(inventory, 'clients.conf').entries, {
    text,
    file: 'ssh_config',
    localUser: 'me',
    home: '/home/me',
  })
}

describe('applySshConfig', () => {
  it('takes HostName, User, Port and IdentityFile from ssh_config, with %h/%r and ~ expanded', () => {
    const [web] = resolve('web1', sshConfig)
    assert.deepEqual(web, {
      name: 'web1',
      address: 'web1.example.net',
      port: 2200,
      user: 'deploy',
      identityFiles: ['/home/me/.ssh/deploy_key', '/keys/deploy_web1.example.net'],
      knownHostsFiles: [],
      origin: {address: 'ssh_config', port: 'ssh_config', user: 'ssh_config'},
      line: 1,
    })
  })

  it('lets inventory values win over ssh_config', () => {
    const [web] = resolve('ops@web1:22', sshConfig)
    assert.equal(web?.user, 'ops')
    assert.equal(web?.port, 22)
    assert.deepEqual(web?.origin, {address: 'ssh_config', port: 'inventory', user: 'inventory'})
  })

  it('is case-insensitive in keywords and splits UserKnownHostsFile', () => {
    const [db] = resolve('db1', sshConfig)
    assert.equal(db?.address, '10.1.1.1')
    assert.equal(db?.user, 'fallback')
    assert.deepEqual(db?.knownHostsFiles, ['/etc/fleet_known_hosts', '/home/me/.ssh/extra_hosts'])
  })

  it('falls back to port 22 and the local user without ssh_config', () => {
    const [host] = resolve('node7', undefined)
    assert.deepEqual(
      [host?.address, host?.port, host?.user, host?.origin],
      ['node7', 22, 'me', {address: 'inventory', port: 'default', user: 'default'}],
    )
  })

  it('rejects a bad Port in ssh_config', () =>
    assert.throws(() => resolve('x', 'Host x\n  Port 22x\n'), /ssh_config: invalid Port "22x" for host x/))
})
