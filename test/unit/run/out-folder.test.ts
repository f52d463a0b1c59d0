import assert from 'node:assert/strict'
import {lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'

import {UsageError} from '../../../src/core/errors.js'
import {makeRunFolder, markLatest} from '../../../src/core/run/out-folder.js'

const work = mkdtempSync(join(tmpdir(), 'director-out-folder-'))
after(() => rmSync(work, {recursive: true, force: true}))

describe('makeRunFolder', () => {
  it('makes every missing level and leaves nothing else behind', async () => {
    const folder = join(work, 'out/p/R1')
    await makeRunFolder(join(work, 'out'), folder)
    assert.ok(statSync(folder).isDirectory())
    await makeRunFolder(join(work, 'out'), folder)
  })

  it('refuses, in one line naming the folder, a place that cannot be written', async () => {
    writeFileSync(join(work, 'a-file'), '')
    const cases: Array<[string, RegExp]> = [
      ['/proc/nope', /^--out \/proc\/nope: cannot create \/proc\/nope \(no such file or folder\): give --out/],
      ['/sys/nope', /^--out \/sys\/nope: cannot create \/sys\/nope \(operation not permitted\): give --out/],
      [join(work, 'a-file'), /cannot create .*a-file\/p \(a file is in the way\)/],
    ]
    for (const [out, message] of cases)
      await assert.rejects(makeRunFolder(out, join(out, 'p/R1')), (error: Error) => {
        assert.ok(error instanceof UsageError, String(error))
        assert.match(error.message, message)
        assert.doesNotMatch(error.message, /\n/)
        return true
      })
  })
})

describe('markLatest', () => {
  it('points latest at the newest run, relative, and swaps it for the next', async () => {
    const project = join(work, 'latest/p')
    for (const id of ['R1', 'R2']) mkdirSync(join(project, id), {recursive: true})
    await markLatest(join(project, 'R1'))
    await markLatest(join(project, 'R2'))
    assert.ok(lstatSync(join(project, 'latest')).isSymbolicLink())
    assert.equal(readlinkSync(join(project, 'latest')), 'R2')
  })
})
