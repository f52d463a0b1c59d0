import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {UsageError} from '../../../src/core/errors.js'
import {parseStoreUrl} from '../../../src/core/store/store-url.js'

describe('parseStoreUrl', () => {
  const good: Array<[string, string[]]> = [
    ['etcd://127.0.0.1:2379', ['127.0.0.1:2379']],
    ['etcd://a:1,b.example:65535', ['a:1', 'b.example:65535']],
    ['etcd://[::1]:2379', ['[::1]:2379']],
  ]
  for (const [url, hosts] of good)
    test(url, () => {
      assert.deepEqual(parseStoreUrl(url), {kind: 'etcd', hosts})
    })

  const bad: Array<[string, RegExp]> = [
    ['127.0.0.1:2379', /^--store 127\.0\.0\.1:2379: give etcd:\/\/host:port/],
    ['zk://a:2181', /give etcd:\/\//],
    ['etcd://a', /"a" is not host:port/],
    ['etcd://a:0', /"a:0" is not host:port/],
    ['etcd://a:1,', /"" is not host:port/],
  ]
  for (const [url, message] of bad)
    test(`${url} is refused`, () => {
      assert.throws(
        () => parseStoreUrl(url),
        (error: unknown) => error instanceof UsageError && message.test(error.message),
      )
    })
})
