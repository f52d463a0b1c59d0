import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {UsageError} from '../../../src/core/errors.js'
import {checkOpenFiles, parseOpenFilesLimit} from '../../../src/core/fanout/open-files.js'

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max processes             63704                63704                processes
Max open files            1024                 4096                 files
Max locked memory         8388608              8388608              bytes
`

describe('the open files limit', () => {
  it('reads the soft and hard limit from /proc/<pid>/limits', () => {
    assert.deepEqual(parseOpenFilesLimit(LIMITS), {soft: 1024, hard: 4096})
    assert.equal(parseOpenFilesLimit(LIMITS.replace(/1024 +4096/, 'unlimited unlimited')), undefined)
  })

  it('lets a fan-out through that fits, and when the limit is unknown', () => {
    assert.doesNotThrow(() => checkOpenFiles(64, {soft: 1024, hard: 1024}))
    assert.doesNotThrow(() => checkOpenFiles(100_000, undefined))
  })

  it('refuses one that does not fit, in one line naming the numbers and what to do', () => {
    assert.throws(
      () => checkOpenFiles(256, {soft: 1024, hard: 1024}),
      (error: unknown) =>
        error instanceof UsageError &&
        error.message ===
          '-f 256 needs up to 1600 open files but ulimit -n is 1024, which is also the hard limit: ' +
            'raise it (ulimit -n 4096, as root or via LimitNOFILE/limits.conf) or use -f 160 or less',
    )
    assert.throws(() => checkOpenFiles(256, {soft: 1024, hard: 8192}), /the hard limit is 8192/)
  })
})
