import assert from 'node:assert/strict'
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {basename, dirname, join} from 'node:path'
import {describe, it} from 'node:test'

import {finalizeScript, parseMd5sumZ, partName, prepareScript} from '../../../src/core/data/remote-commands.js'

describe('partName', () => {
  it('puts the part under the final name in the batch staging folder', () => {
    assert.equal(partName('tweet_1.txt', 'ab12', 7), '.director-part-ab12-7/tweet_1.txt')
    assert.equal(partName('a b/c d/x.txt', 'ab12', 7), '.director-part-ab12-7/a b/c d/x.txt')
  })
})

describe('finalizeScript', () => {
  it('moves verified files into place, hostile names literally, and reports what is left', () => {
    const root = mkdtempSync(join(tmpdir(), 'director-finalize-'))
    try {
      const staging = '.director-part-r1-0'
      const names = ['plain_1.txt', 'a b/$(touch pwned)_2.txt', 'q\'u"o/new\nline_3.txt', '-rf/x_4.txt', 'bad_5.txt']
      for (const name of names) {
        mkdirSync(dirname(join(root, staging, name)), {recursive: true})
        writeFileSync(join(root, staging, name), name)
      }

      writeFileSync(join(root, '.director-part-r1-list-0'), 'list')
      const verified = names.slice(0, 4)
      const list = '.director-part-r1-list-0'
      const script = finalizeScript(root, {staging, list, finals: verified, manifest: '{"event":"done"}\n'})
      const output = execFileSync('/bin/sh', ['-s'], {input: script, encoding: 'utf8', cwd: tmpdir()})
      assert.deepEqual(output.split('\0').filter(Boolean), [`${staging}/bad_5.txt`])
      for (const name of verified) assert.equal(readFileSync(join(root, name), 'utf8'), name)
      assert.ok(!existsSync(join(root, staging)) && !existsSync(join(root, '.director-part-r1-list-0')))
      assert.ok(!existsSync(join(root, 'pwned')) && !existsSync(join(tmpdir(), 'pwned')))
      assert.equal(readFileSync(join(root, '.director-manifest.jsonl'), 'utf8'), '{"event":"done"}\n')
    } finally {
      rmSync(root, {recursive: true, force: true})
    }
  })
})

describe('parseMd5sumZ', () => {
  it('reads real md5sum -z output, names with newlines and backslashes included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'director-md5-'))
    try {
      const names = ['plain', 'new\nline', String.raw`back\slash`, 'spa ce']
      for (const [i, name] of names.entries()) writeFileSync(join(dir, name), `content ${i}`)
      const output = execFileSync('md5sum', ['-z', '--', ...names], {cwd: dir, encoding: 'utf8'})
      const sums = parseMd5sumZ(output)
      assert.deepEqual([...sums.keys()].sort(), [...names].sort())
      const expected = execFileSync('md5sum', ['--', 'plain'], {cwd: dir, encoding: 'utf8'}).slice(0, 32)
      assert.equal(sums.get('plain'), expected)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('ignores anything that is not a sum line', () => assert.equal(parseMd5sumZ('md5sum: x: No such file\0').size, 0))
})

describe('prepareScript', () => {
  it('prints the home, finds ~/ in it, removes parts of other runs only, in a real sh', () => {
    const dir = mkdtempSync(join(tmpdir(), 'director-cleanup-'))
    try {
      for (const folder of ['sub dir', '.director-part-old1-3', '.director-part-mine-1']) mkdirSync(join(dir, folder))
      const files = [
        'keep.txt',
        '.director-part-old1-3/a.txt',
        '.director-part-old1-list-3',
        '.director-part-mine-1/b.txt',
        'sub dir/x.txt',
      ]
      for (const file of files) writeFileSync(join(dir, file), 'x')
      const home = dirname(dir)
      const output = execFileSync('/bin/sh', ['-c', prepareScript(`~/${basename(dir)}`, 'mine')], {
        encoding: 'utf8',
        env: {...process.env, HOME: home},
      })
      assert.equal(output, `${home}\n`)
      assert.deepEqual(readdirSync(dir).sort(), ['.director-part-mine-1', 'keep.txt', 'sub dir'])
      assert.deepEqual(readdirSync(join(dir, '.director-part-mine-1')), ['b.txt'])
      assert.deepEqual(readdirSync(join(dir, 'sub dir')), ['x.txt'])
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('succeeds quietly when the folder does not exist yet', () => {
    const result = spawnSync('/bin/sh', ['-c', prepareScript('/nonexistent/x', 'r')], {encoding: 'utf8'})
    assert.deepEqual([result.status, result.stdout, result.stderr], [0, `${process.env.HOME}\n`, ''])
  })
})
