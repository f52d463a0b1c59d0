import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {UsageError} from '../../../src/core/errors.js'
import {type ParsedInventory, parseInventory} from '../../../src/core/inventory/parse-inventory.js'
import {fixtures} from '../../helpers/paths.js'

describe('parseInventory', () => {
  it('reads every syntax once, in order, with comments and blank lines ignored', () => {
    const text = [
      '# a comment',
      '',
      'node01',
      'admin@node02   # trailing comment',
      'node03:2222',
      'admin@10.0.0.7:2200',
      '[2001:db8::10]:22',
      'deploy@[::1]',
      'rack[1-2]-n[01-02]',
      '  10.0.1.[8-9,12]  ',
    ].join('\n')
    const {entries} = parseInventory(text, 'clients.conf')
    assert.deepEqual(
      entries.map((e) => [e.name, e.host, e.port, e.user, e.line]),
      [
        ['node01', 'node01', undefined, undefined, 3],
        ['node02', 'node02', undefined, 'admin', 4],
        ['node03:2222', 'node03', 2222, undefined, 5],
        ['10.0.0.7:2200', '10.0.0.7', 2200, 'admin', 6],
        ['[2001:db8::10]:22', '2001:db8::10', 22, undefined, 7],
        ['::1', '::1', undefined, 'deploy', 8],
        ['rack1-n01', 'rack1-n01', undefined, undefined, 9],
        ['rack1-n02', 'rack1-n02', undefined, undefined, 9],
        ['rack2-n01', 'rack2-n01', undefined, undefined, 9],
        ['rack2-n02', 'rack2-n02', undefined, undefined, 9],
        ['10.0.1.8', '10.0.1.8', undefined, undefined, 10],
        ['10.0.1.9', '10.0.1.9', undefined, undefined, 10],
        ['10.0.1.12', '10.0.1.12', undefined, undefined, 10],
      ],
    )
  })

  it('accepts the same host on two ports as two targets', () => {
    const {entries} = parseInventory('127.0.0.1:2201\n127.0.0.1:2202\n', 'c')
    assert.deepEqual(
      entries.map((e) => e.name),
      ['127.0.0.1:2201', '127.0.0.1:2202'],
    )
  })

  const dir = join(fixtures, 'inventories')
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.conf'))) {
    it(`rejects ${name} with its file:line message`, () => {
      const path = join(dir, name)
      const text = readFileSync(path, 'utf8')
      const expected = /^# expect: (.*)$/m.exec(text)?.[1]
      assert.ok(expected, `${name} has no "# expect:" line`)
      const message = /^\d+: /.test(expected) ? `${path}:${expected}` : `${path}: ${expected}`
      assert.throws(
        () => parseInventory(text, path),
        (error: unknown) => error instanceof UsageError && error.message === message,
      )
    })
  }
})

describe('parseInventory: [name] groups', () => {
  const parse = (lines: string[]): ParsedInventory => parseInventory(lines.join('\n'), 'clients.conf')
  const groupsOf = (parsed: ParsedInventory): Array<[string, number, string[]]> =>
    parsed.groups.map((group) => [group.name, group.line, group.hosts])

  it('puts the hosts under a header in its group, those above any header in none', () => {
    const parsed = parse(['lone', '[web]  # the front', 'web[1-2]', '', '[db]', 'admin@db1:2200'])
    assert.deepEqual(
      parsed.entries.map((e) => [e.name, e.line]),
      [
        ['lone', 1],
        ['web1', 3],
        ['web2', 3],
        ['db1:2200', 6],
      ],
    )
    assert.deepEqual(groupsOf(parsed), [
      ['web', 2, ['web1', 'web2']],
      ['db', 5, ['db1:2200']],
    ])
  })

  it('lets a host be in several groups, listed once in the hosts', () => {
    const parsed = parse(['[web]', 'admin@n1', 'n2', '[canary]', 'admin@n1', '[all]', 'n[1-2]', 'lone'])
    assert.deepEqual(
      parsed.entries.map((e) => [e.name, e.user, e.line]),
      [
        ['n1', 'admin', 2],
        ['n2', undefined, 3],
        ['lone', undefined, 8],
      ],
    )
    assert.deepEqual(groupsOf(parsed), [
      ['web', 1, ['n1', 'n2']],
      ['canary', 4, ['n1']],
      ['all', 6, ['n1', 'n2', 'lone']],
    ])
  })

  it('adds up a group opened twice, and keeps an empty group', () => {
    const parsed = parse(['[a]', 'x', '[empty]', '[a]', 'y'])
    assert.deepEqual(groupsOf(parsed), [
      ['a', 1, ['x', 'y']],
      ['empty', 3, []],
    ])
  })

  it('tells bracketed IPv6 hosts and digit ranges from headers', () => {
    const parsed = parse(['[::1]', '[2001:db8::10]:22', '[1-2].example.com', '[g1]', '[fe80::1%eth0]'])
    assert.deepEqual(
      parsed.entries.map((e) => e.name),
      ['::1', '[2001:db8::10]:22', '1.example.com', '2.example.com', 'fe80::1%eth0'],
    )
    assert.deepEqual(groupsOf(parsed), [['g1', 4, ['fe80::1%eth0']]])
  })

  it('accepts every group name the rule allows', () => {
    const names = ['a', 'Web', 'rack1', 'web-prod', 'web_prod', 'web.prod', 'x.1-2_3']
    const parsed = parse(names.flatMap((name, i) => [`[${name}]`, `h${i}`]))
    assert.deepEqual(
      parsed.groups.map((g) => g.name),
      names,
    )
  })
})

describe('parseInventory: declared resources after the host', () => {
  it('gives every host of the line (ranges too) its cpus and mem; other lines stay as they were', () => {
    const {entries} = parseInventory('node[01-02] cpus=4 mem=8G\nadmin@node03:2222   cpus=0.5 # small\nnode04\n', 'c')
    const GiB = 1024 ** 3
    assert.deepEqual(
      entries.map((entry) => [entry.name, entry.resources]),
      [
        ['node01', {cpus: 4, mem: 8 * GiB}],
        ['node02', {cpus: 4, mem: 8 * GiB}],
        ['node03:2222', {cpus: 0.5}],
        ['node04', undefined],
      ],
    )
  })
})
