import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'

import {BATCH_FILES, splitBatches} from '../../../src/core/data/deliver-to-host.js'
import {appendManifest, type ManifestRecord, readManifest} from '../../../src/core/data/manifest.js'
import {resumeFromManifest} from '../../../src/core/data/resume-state.js'
import {takeRunLock} from '../../../src/core/data/run-lock.js'
import {noDataError, parseExtensions, scanDataDir} from '../../../src/core/data/scan-data-dir.js'
import {UsageError} from '../../../src/core/errors.js'

describe('manifest', () => {
  let dir: string

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'director-manifest-'))
  })

  after(() => rmSync(dir, {recursive: true, force: true}))

  it('keeps the latest record per file and ignores a torn last line', async () => {
    const path = join(dir, 'sub', 'manifest.jsonl')
    const time = '2026-01-01T00:00:00Z'
    await appendManifest(path, [
      {event: 'assign', file: 'a.txt', host: 'h1', size: 1, time},
      {event: 'assign', file: 'b.txt', host: 'h2', size: 2, time},
    ])
    await appendManifest(path, [
      {event: 'done', file: 'a.txt', host: 'h1', size: 1, md5: 'x', remote: '/r/a.txt', time},
    ])
    appendFileSync(path, '{"event":"done","file":"b.t')
    const state = readManifest(path)
    assert.equal(state.get('a.txt')?.event, 'done')
    assert.equal(state.get('b.txt')?.event, 'assign')
    assert.equal(state.size, 2)
  })

  it('reads a missing manifest as empty', () => assert.equal(readManifest(join(dir, 'none.jsonl')).size, 0))
})

describe('scanDataDir', () => {
  let dir: string
  const socketServer = createServer()

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'director-scan-'))
    mkdirSync(join(dir, 'b', 'c'), {recursive: true})
    mkdirSync(join(dir, '.director', 'p'), {recursive: true})
    const files = [
      'a_1.txt',
      'b/c/d_2.gz',
      'b/e_3.zip',
      'notes.md',
      'B.TXT',
      '.director/p/manifest.jsonl',
      'b/.director-part-x-1.txt',
    ]
    for (const file of files) {
      writeFileSync(join(dir, file), file)
    }

    symlinkSync('/etc/passwd', join(dir, 'link.txt'))
    await new Promise<void>((resolve) => {
      socketServer.listen(join(dir, 'sock.txt'), resolve)
    })
  })

  after(() => {
    socketServer.close()
    rmSync(dir, {recursive: true, force: true})
  })

  it('takes .txt .zip .gz by default, sorted; reports symlinks, sockets and director names; skips its state', async () => {
    const scan = await scanDataDir(dir, {extensions: ['txt', 'zip', 'gz']})
    assert.deepEqual(
      scan.files.map((file) => file.rel),
      ['B.TXT', 'a_1.txt', 'b/c/d_2.gz', 'b/e_3.zip'],
    )
    assert.deepEqual(scan.skipped.map((s) => [s.rel, s.reason]).sort(), [
      ['b/.director-part-x-1.txt', 'reserved name'],
      ['link.txt', 'symlink'],
      ['sock.txt', 'socket'],
    ])
  })

  it('takes every regular file with --all', async () => {
    const scan = await scanDataDir(dir, {extensions: undefined})
    assert.ok(scan.files.some((file) => file.rel === 'notes.md'))
    assert.ok(!scan.files.some((file) => file.rel.startsWith('.director')))
  })

  it("says what to do for a missing folder and a file; an empty folder is the caller's to judge", async () => {
    await assert.rejects(scanDataDir(join(dir, 'nope'), {extensions: ['txt']}), /data folder .*nope does not exist/)
    await assert.rejects(scanDataDir(join(dir, 'a_1.txt'), {extensions: ['txt']}), /is not a folder/)
    assert.deepEqual((await scanDataDir(join(dir, 'b'), {extensions: ['csv']})).files, [])
    const none = noDataError(join(dir, 'b'), ['csv'])
    assert.ok(none instanceof UsageError)
    assert.match(none.message, /^no data files ending in \.csv in .*\(choose others with --ext/)
  })

  it('parses --ext lists', () => {
    assert.deepEqual(parseExtensions('txt, .json,gz'), ['txt', 'json', 'gz'])
    assert.throws(() => parseExtensions(' , '), UsageError)
  })
})

describe('takeRunLock', () => {
  it('lets one run in, refuses a second, and takes over the lock of a dead process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'director-lock-'))
    try {
      const path = join(dir, '.director', 'lock')
      const release = takeRunLock(path)
      assert.throws(
        () => takeRunLock(path),
        (error: unknown) => error instanceof UsageError && /another director \(pid \d+\)/.test(error.message),
      )
      release()
      writeFileSync(path, '999999999\n')
      const again = takeRunLock(path)
      assert.equal(readFileSync(path, 'utf8'), `${process.pid}\n`)
      again()
      assert.equal(existsSync(path), false)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})

describe('splitBatches', () => {
  it('cuts by count and by bytes, keeping order', () => {
    const files = Array.from({length: BATCH_FILES + 3}, (_, i) => ({rel: `f${i}`, abs: `/f${i}`, size: 10, mtimeMs: 0}))
    const batches = splitBatches(files)
    assert.deepEqual(
      batches.map((b) => b.length),
      [BATCH_FILES, 3],
    )
    const big = [40, 40, 10].map((mib, i) => ({rel: `b${i}`, abs: `/b${i}`, size: mib * 1024 * 1024, mtimeMs: 0}))
    assert.deepEqual(
      splitBatches(big).map((b) => b.map((f) => f.rel)),
      [['b0'], ['b1', 'b2']],
    )
  })
})

describe('resumeFromManifest', () => {
  /** A data folder with one file delivered earlier as `content`, its source now holding `now`. */
  async function delivered(content: string, now: string, source: 'deleted' | 'kept') {
    const dir = mkdtempSync(join(tmpdir(), 'director-resume-'))
    const abs = join(dir, 'a_1.txt')
    writeFileSync(abs, now)
    const [file] = (await scanDataDir(dir, {extensions: ['txt']})).files
    assert.ok(file)
    const md5 = createHash('md5').update(content).digest('hex')
    const record: ManifestRecord = {
      event: 'done',
      file: 'a_1.txt',
      host: 'h1',
      size: Buffer.byteLength(content),
      md5,
      mtimeMs: file.mtimeMs,
      source,
      time: '2026-11-23T00:00:00Z',
    }
    return {dir, abs, file, manifest: new Map([['a_1.txt', record]])}
  }

  it('with --keep, takes an unchanged size and mtime for the delivered file without reading it', async () => {
    // Same size and mtime, other bytes: only a read could tell, and none is made.
    const {dir, file, manifest} = await delivered('aaaa', 'bbbb', 'kept')
    try {
      const state = await resumeFromManifest([file], manifest, {keep: true, replace: false})
      assert.deepEqual([state.alreadyDelivered.length, state.pending.length], [1, 0])
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('deletes a source only when its md5 matches, whatever its mtime says', async () => {
    const changed = await delivered('aaaa', 'bbbb', 'kept')
    const same = await delivered('aaaa', 'aaaa', 'kept')
    try {
      const first = await resumeFromManifest([changed.file], changed.manifest, {keep: false, replace: false})
      assert.deepEqual([first.pending.length, existsSync(changed.abs)], [1, true])
      const second = await resumeFromManifest([same.file], same.manifest, {keep: false, replace: false})
      assert.deepEqual([second.alreadyDelivered.length, existsSync(same.abs)], [1, false])
    } finally {
      rmSync(changed.dir, {recursive: true, force: true})
      rmSync(same.dir, {recursive: true, force: true})
    }
  })
})
