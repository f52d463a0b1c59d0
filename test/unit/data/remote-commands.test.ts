import assert from 'node:assert/strict'
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {basename, dirname, join} from 'node:path'
import {describe, it} from 'node:test'

import {parseMd5sumZ, partName, prepareScript} from '../../../src/core/data/remote-commands.js'

describe('partName', () => {
  it('puts the part beside the final name', () => {
    assert.equal(partName('tweet_1.txt', 'ab12', 7), '.director-part-ab12-7')
    assert.equal(partName('a b/c d/x.txt', 'ab12', 7), 'a b/c d/.director-part-ab12-7')
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
      mkdirSync(join(dir, 'sub dir'))
      const files = [
        'keep.txt',
        '.director-part-old1-3',
        'sub dir/.director-part-old2-9',
        '.director-part-mine-1',
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
