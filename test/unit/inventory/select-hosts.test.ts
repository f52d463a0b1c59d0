import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {UsageError} from '../../../src/core/errors.js'
import {selectHosts} from '../../../src/core/inventory/select-hosts.js'

const hosts = ['node01', 'node02', 'node03', 'node10', 'web1', '127.0.1.1', '127.0.1.12'].map((name) => ({name}))
const names = (limit: string): string[] =>
  selectHosts(hosts, limit, {file: 'clients.conf', groups: []}).map((h) => h.name)

describe('selectHosts (--limit)', () => {
  it('keeps everything without a limit', () =>
    assert.equal(selectHosts(hosts, undefined, {file: 'c', groups: []}).length, hosts.length))

  it('matches a glob', () => assert.deepEqual(names('node0*'), ['node01', 'node02', 'node03']))

  it('matches ? as one character', () => assert.deepEqual(names('127.0.1.?'), ['127.0.1.1']))

  it('matches a range', () => assert.deepEqual(names('node[02-03]'), ['node02', 'node03']))

  it('takes comma lists, ranges with commas included', () =>
    assert.deepEqual(names('node[01,10],web*'), ['node01', 'node10', 'web1']))

  it('excludes with !', () => assert.deepEqual(names('node*,!node1*'), ['node01', 'node02', 'node03']))

  it('excludes alone', () => assert.equal(names('!node*').length, 3))

  it('keeps inventory order', () => assert.deepEqual(names('web1,node01'), ['node01', 'web1']))

  it('treats dots literally', () => assert.deepEqual(names('127.0.1.1'), ['127.0.1.1']))

  it('fails when nothing matches, naming the file', () =>
    assert.throws(
      () => names('db*'),
      (error: unknown) =>
        error instanceof UsageError && error.message === '--limit "db*" matches no host in clients.conf',
    ))
})
