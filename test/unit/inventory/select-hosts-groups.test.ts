import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {UsageError} from '../../../src/core/errors.js'
import {groupHosts} from '../../../src/core/inventory/group-hosts.js'
import {selectHosts} from '../../../src/core/inventory/select-hosts.js'

const hosts = ['lone', 'web1', 'web2', 'web3', 'db1', 'db2', 'rack1n1', 'rack2n1'].map((name) => ({name}))
const groups = [
  {name: 'web', line: 1, hosts: ['web1', 'web2', 'web3']},
  {name: 'canary', line: 5, hosts: ['web3', 'db2']},
  {name: 'db', line: 7, hosts: ['db1', 'db2']},
  {name: 'rack1', line: 9, hosts: ['rack1n1']},
  {name: 'rack2', line: 11, hosts: ['rack2n1']},
  {name: 'empty', line: 13, hosts: []},
]
const names = (limit: string): string[] =>
  selectHosts(hosts, limit, {file: 'clients.conf', groups}).map((host) => host.name)

describe('selectHosts with @groups', () => {
  const cases: Array<[string, string[]]> = [
    ['@web', ['web1', 'web2', 'web3']],
    ['@web,@db', ['web1', 'web2', 'web3', 'db1', 'db2']],
    ['@web,!@canary', ['web1', 'web2']],
    ['!@web', ['lone', 'db1', 'db2', 'rack1n1', 'rack2n1']],
    ['@rack[1-2]', ['rack1n1', 'rack2n1']],
    ['@rack*', ['rack1n1', 'rack2n1']],
    ['@canary,lone', ['lone', 'web3', 'db2']],
    ['web[1-2],@db,!db1', ['web1', 'web2', 'db2']],
    ['db*,!@canary', ['db1']],
    ['@empty,lone', ['lone']],
  ]
  for (const [limit, expected] of cases) it(limit, () => assert.deepEqual(names(limit), expected))

  const errors: Array<[string, string]> = [
    ['@dbs', '--limit "@dbs": no group "dbs" in clients.conf (groups: web, canary, db, rack1, rack2, empty)'],
    [
      '@web,!@nope',
      '--limit "@web,!@nope": no group "nope" in clients.conf (groups: web, canary, db, rack1, rack2, empty)',
    ],
    ['@zz*', '--limit "@zz*": no group "zz*" in clients.conf (groups: web, canary, db, rack1, rack2, empty)'],
    ['@empty', '--limit "@empty" matches no host in clients.conf'],
    ['@web,!@web', '--limit "@web,!@web" matches no host in clients.conf'],
    ['@rack[2-1]', '--limit: range "[2-1]" runs backwards in "rack[2-1]"'],
  ]
  for (const [limit, message] of errors)
    it(`rejects ${limit}`, () =>
      assert.throws(
        () => names(limit),
        (error: unknown) => error instanceof UsageError && error.message === message,
      ))

  it('says an inventory without groups has none', () =>
    assert.throws(
      () => selectHosts(hosts, '@web', {file: 'c.conf', groups: []}),
      (error: unknown) =>
        error instanceof UsageError &&
        error.message === '--limit "@web": no group "web" in c.conf (it has none: add "[name]" lines)',
    ))
})

describe('groupHosts (hosts --groups)', () => {
  it('lists every group with its selected hosts in inventory order, then the hosts in none', () => {
    const selected = hosts.filter((host) => host.name !== 'web2')
    assert.deepEqual(groupHosts(groups, selected), {
      groups: [
        {name: 'web', hosts: ['web1', 'web3']},
        {name: 'canary', hosts: ['web3', 'db2']},
        {name: 'db', hosts: ['db1', 'db2']},
        {name: 'rack1', hosts: ['rack1n1']},
        {name: 'rack2', hosts: ['rack2n1']},
        {name: 'empty', hosts: []},
      ],
      ungrouped: ['lone'],
    })
  })
})
