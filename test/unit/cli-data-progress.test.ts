import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {DataProgress} from '../../src/core/data/distribute-data.js'

import {hostProgressLines, progressBar, progressLine} from '../../src/cli/render/data-progress.js'

const host = (n: number, filesDone: number, failed = 0) => ({
  host: `10.0.0.${n}`,
  filesTotal: 10,
  bytesTotal: 10 * 1024,
  filesDone,
  bytesSent: filesDone * 1024,
  failed,
})

const progress: DataProgress = {
  filesTotal: 20,
  bytesTotal: 20 * 1024,
  filesDone: 15,
  bytesSent: 15 * 1024,
  failedChecksum: 1,
  failed: 2,
  hosts: [host(1, 10), host(2, 5, 3)],
}

describe('data progress', () => {
  it("prints the original tool's line when not on a terminal", () => {
    assert.equal(progressLine(progress), 'Transferred 15/20 files | 1 files failed checksum | 2 files failed')
  })

  it('draws a bar with files, bytes, rate and failures', () => {
    assert.equal(
      progressBar(progress, 1000, 8),
      '[######..] 15/20 files 15.0 KiB/20.0 KiB 15.0 KiB/s ETA 0.3s | 1 failed checksum, 2 failed',
    )
  })

  it('adds a line per host, and sums up the hosts past eight', () => {
    assert.deepEqual(hostProgressLines(progress), [
      '  10.0.0.1  10/10 files  10.0 KiB/10.0 KiB',
      '  10.0.0.2  5/10 files  5.0 KiB/10.0 KiB  3 failed',
    ])
    const many = {...progress, hosts: Array.from({length: 11}, (_, i) => host(i + 1, 0))}
    const lines = hostProgressLines(many)
    assert.equal(lines.length, 9)
    assert.equal(lines.at(-1), '  ... and 3 more hosts')
  })
})
