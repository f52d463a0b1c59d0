import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {DataProgress, HostProgress} from '../../src/core/data/types.js'

import {hostProgressLines, progressBar, progressLine, ProgressReporter} from '../../src/cli/render/data-progress.js'
import {failure} from '../../src/core/host-result.js'

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
  failed: 3,
  hosts: [host(1, 10), host(2, 5, 3)],
  finished: false,
}

/** A terminal as the reporter sees one: a width, resize listeners, and what was written. */
class FakeTerminal {
  readonly isTTY = true
  readonly resizeListeners = new Set<() => void>()
  written = ''
  constructor(public columns: number) {}

  on(_event: 'resize', listener: () => void): void {
    this.resizeListeners.add(listener)
  }

  removeListener(_event: 'resize', listener: () => void): void {
    this.resizeListeners.delete(listener)
  }

  resize(columns: number): void {
    this.columns = columns
    for (const listener of this.resizeListeners) listener()
  }

  write(text: string): boolean {
    this.written += text
    return true
  }
}

/** A frame's text without the cursor moves and clears the reporter writes. */
function visible(frame: string): string {
  let text = frame
  for (const code of ['\u001B[2A', '\u001B[J', '\r']) text = text.replaceAll(code, '')
  return text
}

describe('data progress', () => {
  it("prints the original tool's line when not on a terminal", () => {
    assert.equal(progressLine(progress), 'Transferred 15/20 files | 1 files failed checksum | 3 files failed')
  })

  it('draws a bar with files, bytes, rate, ETA and failures', () => {
    assert.equal(
      progressBar(progress, 1000, 200),
      '[##################......] 15/20 files 15.0 KiB/20.0 KiB 15.0 KiB/s ETA 333ms | 3 failed (1 checksum)',
    )
  })

  it('says how long it took, not an ETA, once finished', () => {
    const line = progressBar({...progress, finished: true}, 2000, 200)
    assert.match(line, / done in 2\.0s \| 3 failed/)
    assert.doesNotMatch(line, /ETA/)
  })

  it('never draws a line wider than the terminal', () => {
    for (const columns of [40, 60, 80]) {
      const lines = [progressBar(progress, 1000, columns), ...hostProgressLines(progress, columns)]
      for (const line of lines) assert.ok(line.length < columns, `${line.length} >= ${columns}: ${line}`)
    }
  })

  it('lists hosts with failures first, and sums up the hosts past eight', () => {
    assert.deepEqual(hostProgressLines(progress), [
      '  10.0.0.2  5/10 files  5.0 KiB/10.0 KiB  3 failed',
      '  10.0.0.1  10/10 files  10.0 KiB/10.0 KiB',
    ])
    const hosts: HostProgress[] = Array.from({length: 11}, (_, i) => host(i + 1, 0))
    hosts[10] = {...host(11, 0, 10), failure: failure('refused', 'refused')}
    hosts[9] = host(10, 0, 2)
    const lines = hostProgressLines({...progress, hosts})
    assert.equal(lines.length, 9)
    assert.match(lines[0] ?? '', /^ {2}10\.0\.0\.10 .* 2 failed$/)
    assert.match(lines[1] ?? '', /^ {2}10\.0\.0\.11 .* 10 failed: /)
    assert.equal(lines.at(-1), '  ... and 3 more hosts')
  })

  it('on a terminal: redraws in place, again on resize, and ends with the finished frame', () => {
    const terminal = new FakeTerminal(60)
    const reporter = new ProgressReporter(terminal)
    reporter.update(progress)
    const first = terminal.written
    assert.ok(first.startsWith('\r\u001B[J'), JSON.stringify(first))
    assert.match(first, /15\/20 files .*\| 3 failed \(1 checksum\)\n/)
    terminal.resize(40)
    const redrawn = terminal.written.slice(first.length)
    // Back up over the three lines drawn (bar and two hosts), clear below, draw at the new width.
    assert.ok(redrawn.startsWith('\u001B[2A\r\u001B[J'), JSON.stringify(redrawn))
    for (const line of visible(redrawn).split('\n')) assert.ok(line.length < 40, line)
    reporter.update({...progress, filesDone: 16, finished: true})
    reporter.stop()
    assert.match(terminal.written, /16\/20 files.*done in /)
    assert.equal(terminal.resizeListeners.size, 0)
  })
})
