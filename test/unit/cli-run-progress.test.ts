import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {HostRun} from '../../src/core/run/run-report.js'

import {makeColors} from '../../src/cli/render/colors.js'
import {formatProgressLine, formatUnfinished, RunTracker} from '../../src/cli/render/run-progress.js'
import {emptyHostRun} from '../../src/core/run/run-report.js'

const color = makeColors({isTTY: false} as NodeJS.WriteStream)
const names = Array.from({length: 1000}, (_, i) => `node${i + 1}`)
const ended = (host: string, state: HostRun['state']): HostRun => emptyHostRun(host, `/out/${host}`, state)

describe('the run progress line', () => {
  it('stays one line at 1,000 hosts: counts, then the oldest running hosts that fit and how many more', () => {
    const tracker = new RunTracker()
    tracker.events.onRunStart?.(names)
    for (const host of names.slice(0, 300)) tracker.events.onHostStart?.(host)
    for (const host of names.slice(0, 230)) tracker.events.onHostDone?.(ended(host, host === 'node7' ? 'failed' : 'ok'))
    const line = formatProgressLine(tracker.progress(), 80, color)
    assert.equal(line, '230/1000 done, 229 ok, 1 failed, 70 running: node231 node232 node233 node234 +66')
    assert.ok(line.length <= 80)
  })

  it('names no host when none fits, and none when none runs', () => {
    const progress = {total: 2, done: 0, ok: 0, failed: 0, running: new Set(['a-very-long-host-name.example.org'])}
    assert.equal(formatProgressLine(progress, 30, color), '0/2 done, 0 ok, 0 failed, 1 running')
    assert.equal(
      formatProgressLine({...progress, running: new Set()}, 80, color),
      '0/2 done, 0 ok, 0 failed, 0 running',
    )
  })

  it('names at the end the hosts that never finished: cut short by Ctrl-C or never started', () => {
    const tracker = new RunTracker()
    tracker.events.onRunStart?.(names.slice(0, 10))
    for (const host of names.slice(0, 6)) tracker.events.onHostStart?.(host)
    for (const host of names.slice(0, 4)) tracker.events.onHostDone?.(ended(host, host === 'node2' ? 'timeout' : 'ok'))
    for (const host of names.slice(4, 6)) tracker.events.onHostDone?.(ended(host, 'interrupted'))
    assert.deepEqual(tracker.unfinished(), ['node5', 'node6', 'node7', 'node8', 'node9', 'node10'])
    assert.equal(formatUnfinished(tracker.unfinished(), color), 'never finished (6): node[5-10]')
    const done = new RunTracker()
    done.events.onRunStart?.(['a'])
    done.events.onHostDone?.(ended('a', 'failed'))
    assert.equal(formatUnfinished(done.unfinished(), color), undefined)
  })
})
