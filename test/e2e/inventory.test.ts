import assert from 'node:assert/strict'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir, userInfo} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import type {HostGroups} from '../../src/core/inventory/group-hosts.js'
import type {Host} from '../../src/core/inventory/host.js'

import {runCli, runCliJson} from '../helpers/cli.js'

describe('inventory from the command line (no SSH)', () => {
  let dir: string
  const write = (name: string, text: string) => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return path
  }

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'director-inventory-'))
  })

  after(() => rmSync(dir, {recursive: true, force: true}))

  it('prints a bad line as file:line on one line, exit 2, nothing on stdout', async () => {
    const file = write('bad.conf', 'node01\nnode02:22x\n')
    const {code, stdout, stderr} = await runCli(['status', '--clients', file])
    assert.equal(code, 2)
    assert.equal(stdout, '')
    assert.equal(stderr, `Error: ${file}:2: invalid port "22x" (expected 1-65535)\n`)
  })

  it('gives the same error as a JSON document under --json', async () => {
    const file = write('dup.conf', 'a\nb\na\n')
    const {code, json} = await runCliJson<{error: {kind: string; message: string; exitCode: number}}>([
      'hosts',
      '--clients',
      file,
    ])
    assert.equal(code, 2)
    assert.deepEqual(json.error, {
      kind: 'usage',
      message: `${file}:3: duplicate host "a" (first on line 1)`,
      exitCode: 2,
    })
  })

  it('finds the inventory through DIRECTOR_CLIENTS and says so with --verbose', async () => {
    const file = write('env.conf', 'web[1-2]\n')
    const {code, stdout, stderr} = await runCli(['hosts', '--verbose'], {
      env: {DIRECTOR_CLIENTS: file, DIRECTOR_SSH_CONFIG: write('empty_ssh_config', '')},
    })
    assert.equal(code, 0)
    assert.match(stderr, new RegExp(`inventory: ${file} \\(from env\\)`))
    assert.match(stdout, /^web1\s/m)
    assert.match(stdout, /^web2\s/m)
  })

  it('finds ./config/clients.conf in the working folder', async () => {
    const work = join(dir, 'work')
    mkdirSync(join(work, 'config'), {recursive: true})
    writeFileSync(join(work, 'config', 'clients.conf'), 'node[01-02]\n')
    const {code, stdout, stderr} = await runCli(['hosts', '--verbose'], {cwd: work, env: {DIRECTOR_CLIENTS: ''}})
    assert.equal(code, 0)
    assert.match(stderr, /inventory: .*work\/config\/clients\.conf \(from working-dir\)/)
    assert.match(stdout, /^node02\s/m)
  })

  it('says a missing --clients file is missing', async () => {
    const none = await runCli(['hosts', '--clients', join(dir, 'nope.conf')])
    assert.equal(none.code, 2)
    assert.equal(none.stderr, `Error: --clients ${join(dir, 'nope.conf')}: no such file\n`)
  })

  it('shows where each value came from: inventory, ssh_config or default', async () => {
    const clients = write('mixed.conf', 'ops@web1\ndb1:2200\nplain\n')
    const sshConfig = write('ssh_config', 'Host web1 db1\n  HostName 10.9.9.9\n  User deploy\n  Port 2222\n')
    const {code, json} = await runCliJson<{hosts: Host[]}>(['hosts', '--clients', clients, '--ssh-config', sshConfig])
    assert.equal(code, 0)
    assert.deepEqual(
      json.hosts.map((h) => [h.name, h.address, h.port, h.user, h.origin]),
      [
        ['web1', '10.9.9.9', 2222, 'ops', {address: 'ssh_config', port: 'ssh_config', user: 'inventory'}],
        ['db1:2200', '10.9.9.9', 2200, 'deploy', {address: 'ssh_config', port: 'inventory', user: 'ssh_config'}],
        ['plain', 'plain', 22, userInfo().username, {address: 'inventory', port: 'default', user: 'default'}],
      ],
    )
  })

  it("shows each host's bastion (ssh_config ProxyJump), resolved through ssh_config", async () => {
    const clients = write('jump.conf', 'web1\nplain\n')
    const sshConfig = write(
      'jump_ssh_config',
      'Host web1\n  ProxyJump gate\nHost gate\n  HostName 10.0.0.1\n  User ops\n',
    )
    const {code, stdout} = await runCli(['hosts', '--clients', clients, '--ssh-config', sshConfig])
    assert.equal(code, 0)
    assert.match(stdout, /^HOST\s+ADDRESS\s+PORT\s+USER\s+JUMP$/m)
    assert.match(stdout, /^web1\s.*\sops@10\.0\.0\.1:22$/m)
    assert.match(stdout, /^plain\s.*\s-$/m)
  })

  it('--limit that matches nothing is a usage error', async () => {
    const clients = write('few.conf', 'a\nb\n')
    const {code, stderr} = await runCli(['hosts', '--clients', clients, '--limit', 'zz*'])
    assert.equal(code, 2)
    assert.equal(stderr, `Error: --limit "zz*" matches no host in ${clients}\n`)
  })

  const grouped = [
    'lone',
    '[web]',
    'web[01-04]',
    '[canary]',
    'web01',
    'ops@db1',
    '[db]',
    'db[1-2]',
    '[empty]',
    '',
  ].join('\n')

  it('lists each group and its hosts, compactly, with --groups', async () => {
    const clients = write('groups.conf', grouped)
    const {code, stdout, stderr} = await runCli(['hosts', '--groups', '--clients', clients])
    assert.equal(code, 0, stderr)
    assert.equal(
      stdout,
      [
        'GROUP       HOSTS  NAMES',
        '@web        4      web[01-04]',
        '@canary     2      web01,db1',
        '@db         2      db[1-2]',
        '@empty      0      -',
        '(no group)  1      lone',
        '',
      ].join('\n'),
    )
  })

  it('selects @groups with --limit, mixed with ! and names, in inventory order', async () => {
    const clients = write('groups-limit.conf', grouped)
    const ssh = write('empty_ssh_config_2', '')
    const cases: Array<[string, string[]]> = [
      ['@web', ['web01', 'web02', 'web03', 'web04']],
      ['@web,!@canary', ['web02', 'web03', 'web04']],
      ['@db,lone,!db2', ['lone', 'db1']],
      ['!@web,!@db', ['lone']],
    ]
    for (const [limit, names] of cases) {
      const {code, json} = await runCliJson<HostGroups & {hosts: Host[]}>([
        'hosts',
        '--clients',
        clients,
        '--ssh-config',
        ssh,
        '--limit',
        limit,
      ])
      assert.equal(code, 0, limit)
      assert.deepEqual(
        json.hosts.map((host) => host.name),
        names,
        limit,
      )
      const db1 = json.hosts.find((host) => host.name === 'db1')
      if (names.includes('db1')) assert.equal(db1?.user, 'ops', 'db1 keeps the user of its first line')
    }
  })

  it('names the inventory and its groups for an unknown @group, exit 2', async () => {
    const clients = write('groups-unknown.conf', grouped)
    const {code, stdout, stderr} = await runCli(['hosts', '--clients', clients, '-l', '@dbs'])
    assert.equal(code, 2)
    assert.equal(stdout, '')
    assert.equal(stderr, `Error: --limit "@dbs": no group "dbs" in ${clients} (groups: web, canary, db, empty)\n`)
  })

  it('prints a bad group header or an unclosed IPv6 bracket as file:line with the fix', async () => {
    const cases: Array<[string, string]> = [
      ['node01\n[web\nweb1\n', '2: unclosed "[" in "[web": a group header is "[web]"'],
      ['[web prod]\nweb1\n', '1: invalid group name "web prod" (a letter, then letters, digits, "_", "." or "-")'],
      ['node01\n[::1\n', '2: unclosed "[" in "[::1": write an IPv6 address as "[::1]" (with a port: "[address]:port")'],
    ]
    for (const [text, message] of cases) {
      const clients = write('bad-groups.conf', text)
      const {code, stdout, stderr} = await runCli(['status', '--clients', clients])
      assert.deepEqual({code, stdout, stderr}, {code: 2, stdout: '', stderr: `Error: ${clients}:${message}\n`})
    }
  })
})
