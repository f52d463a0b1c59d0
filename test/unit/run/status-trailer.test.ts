import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {FILES_TRAILER_PREFIX, PRINT_FILES_TRAILER, TrailerCutter} from '../../../src/core/run/status-trailer.js'

/** Feeds the chunks through a cutter and returns what passed and the flag. */
function cut(chunks: string[]): {passed: string; hasFiles: boolean | undefined} {
  const cutter = new TrailerCutter()
  let passed = ''
  for (const chunk of chunks) passed += cutter.push(Buffer.from(chunk, 'latin1')).toString('latin1')
  const end = cutter.end()
  return {passed: passed + end.rest.toString('latin1'), hasFiles: end.hasFiles}
}

describe('TrailerCutter', () => {
  const trailer = (flag: string): string => `${FILES_TRAILER_PREFIX}${flag}\u001E`

  it('cuts the trailer off however the stream is chunked', () => {
    const stream = `warning: x\n${trailer('1')}`
    for (let at = 0; at <= stream.length; at++) {
      assert.deepEqual(cut([stream.slice(0, at), stream.slice(at)]), {passed: 'warning: x\n', hasFiles: true})
    }

    assert.deepEqual(cut([...trailer('0')]), {passed: '', hasFiles: false})
  })

  it('passes a stream without the trailer untouched', () => {
    for (const stream of ['', 'short', 'a long line of stderr without any trailer\n', `${trailer('1')}late output`]) {
      assert.deepEqual(cut([stream]), {passed: stream, hasFiles: undefined})
    }
  })

  it('matches what the shell line prints', () => {
    const dir = mkdtempSync(join(tmpdir(), 'director-trailer-'))
    try {
      const run = (): string =>
        execFileSync('/bin/sh', ['-c', `{ ${PRINT_FILES_TRAILER}; } 2>&1`], {cwd: dir, encoding: 'latin1'})
      assert.deepEqual(cut([run()]), {passed: '', hasFiles: false})
      mkdirSync(join(dir, 'output'))
      assert.deepEqual(cut([run()]), {passed: '', hasFiles: false})
      writeFileSync(join(dir, 'output', '.hidden'), '')
      assert.deepEqual(cut([run()]), {passed: '', hasFiles: true})
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
