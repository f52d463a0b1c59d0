import assert from 'node:assert/strict'
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {describe, it} from 'node:test'

import {
  finalizeConfirmed,
  finalizeScript,
  listName,
  parseMd5sumZ,
  parseReceiveOutput,
  partName,
  receiveBatchScript,
  remoteManifestName,
} from '../../../src/core/data/remote-commands.js'

describe('partName', () => {
  it('puts the part under the final name in the staging folder of its host, run and batch', () => {
    const owner = {host: 'node%3A22', runId: 'ab12'}
    assert.equal(partName('tweet_1.txt', owner, 7), '.director-part-node%3A22+ab12-7/tweet_1.txt')
    assert.equal(partName('a b/c d/x.txt', owner, 7), '.director-part-node%3A22+ab12-7/a b/c d/x.txt')
  })
})

/** `count` names of 80-odd bytes each. */
function longNames(count: number): string[] {
  const names: string[] = []
  for (let i = 0; i < count; i++) names.push(`${'x'.repeat(80)}_${i}.txt`)
  return names
}

/** Runs a script the way director sends it: to /bin/sh, with HOME set. */
function runSh(
  script: string,
  home: string,
  input?: Buffer | string,
): {status: number | null; stdout: string; stderr: string} {
  const result = spawnSync('/bin/sh', input === undefined ? ['-s'] : ['-c', script], {
    input: input ?? script,
    env: {...process.env, HOME: home},
    encoding: 'utf8',
  })
  return {status: result.status, stdout: result.stdout, stderr: result.stderr}
}

/** Runs `body` in a fresh temporary folder, removed afterwards whatever happens. */
function inTempDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'director-remote-'))
  try {
    body(dir)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

/** Stages files as a receive would have left them: `<root>/<staging>/<name>` plus the list. */
function stage(root: string, staging: string, names: string[]): void {
  for (const name of names) {
    mkdirSync(dirname(join(root, staging, name)), {recursive: true})
    writeFileSync(join(root, staging, name), name)
  }

  writeFileSync(join(root, listName(staging)), 'list')
}

describe('finalizeScript', () => {
  const manifestName = remoteManifestName('node%3A22')

  it('moves verified files into place, hostile names literally, and leaves nothing behind', () =>
    inTempDir((home) => {
      const root = join(home, 'data')
      const staging = '.director-part-r1-0'
      const names = ['plain_1.txt', 'a b/$(touch pwned)_2.txt', 'q\'u"o/new\nline_3.txt', '-rf/x_4.txt', 'bad_5.txt']
      stage(root, staging, names)
      const verified = names.slice(0, 4)
      const script = finalizeScript('~/data', {staging, manifestName, finals: verified, manifest: '{"event":"done"}\n'})
      const {status, stdout, stderr} = runSh(script, home)
      assert.deepEqual([status, stderr, finalizeConfirmed(stdout)], [0, '', true])
      for (const name of verified) assert.equal(readFileSync(join(root, name), 'utf8'), name)
      assert.ok(!existsSync(join(root, staging)) && !existsSync(join(root, 'bad_5.txt')))
      assert.ok(!existsSync(join(root, 'pwned')) && !existsSync(join(home, 'pwned')))
      assert.equal(readFileSync(join(root, manifestName), 'utf8'), '{"event":"done"}\n')
    }))

  it('a move that fails fails the batch: mv says why, no end mark, no records; the staging folder goes', () =>
    inTempDir((home) => {
      const root = join(home, 'data')
      const staging = '.director-part-r1-1'
      stage(root, staging, ['ok_1.txt', 'taken_2.txt'])
      // A folder under the final name: mv cannot replace it with a file.
      mkdirSync(join(root, 'taken_2.txt', 'inside'), {recursive: true})
      const manifest = '{"event":"done"}\n'
      const {status, stdout, stderr} = runSh(
        finalizeScript('~/data', {staging, manifestName, finals: ['ok_1.txt', 'taken_2.txt'], manifest}),
        home,
      )
      assert.equal(status, 1)
      assert.match(stderr, /cannot overwrite directory/)
      assert.equal(finalizeConfirmed(stdout), false)
      assert.ok(!existsSync(join(root, staging)) && !existsSync(join(root, manifestName)))
    }))

  it('a staging folder that vanished (another run cleaned it up) is a failure, not a success', () =>
    inTempDir((home) => {
      const root = join(home, 'data')
      const staging = '.director-part-r1-3'
      stage(root, staging, ['gone_1.txt'])
      rmSync(join(root, staging), {recursive: true})
      const {status, stdout} = runSh(
        finalizeScript('~/data', {staging, manifestName, finals: ['gone_1.txt'], manifest: ''}),
        home,
      )
      assert.deepEqual([status, finalizeConfirmed(stdout)], [1, false])
    }))

  it('a script cut short runs nothing: one group, parsed whole before any of it runs', () =>
    inTempDir((home) => {
      const root = join(home, 'data')
      const staging = '.director-part-r1-4'
      const names = longNames(300)
      stage(root, staging, names)
      const script = finalizeScript('~/data', {staging, manifestName, finals: names, manifest: ''})
      const {status, stdout} = runSh(script.slice(0, Math.floor(script.length * 0.6)), home)
      assert.notEqual(status, 0)
      assert.equal(finalizeConfirmed(stdout), false)
      assert.equal(readdirSync(join(root, staging)).length, names.length + 1)
    }))

  it('splits the moves of long names over several mv commands', () =>
    inTempDir((home) => {
      const root = join(home, 'data')
      const staging = '.director-part-r1-2'
      const names = Array.from({length: 500}, (_, i) => `${'n'.repeat(240)}_${i}.txt`)
      stage(root, staging, names)
      const script = finalizeScript('~/data', {staging, manifestName, finals: names, manifest: ''})
      assert.ok(script.split('\n').filter((line) => line.startsWith('mv ')).length > 1)
      const {status, stdout, stderr} = runSh(script, home)
      assert.deepEqual([status, stderr, finalizeConfirmed(stdout)], [0, '', true])
      assert.equal(readdirSync(root).length, 500)
    }))
})

describe('receiveBatchScript', () => {
  /** A tar stream of the staging folder's files and its list, as director sends it. */
  function batchTar(dir: string, staging: string, names: string[]): Buffer {
    stage(dir, staging, names)
    writeFileSync(join(dir, listName(staging)), names.map((name) => `${staging}/${name}\0`).join(''))
    return execFileSync('tar', ['cf', '-', '-C', dir, staging])
  }

  it('prints the home, unpacks into a new folder and hashes from the disk, in a real sh', () =>
    inTempDir((home) =>
      inTempDir((source) => {
        const staging = '.director-part-r2-0'
        const tar = batchTar(source, staging, ['a_1.txt', 'new\nline_2.txt'])
        const {status, stdout, stderr} = runSh(receiveBatchScript('~/deep/data', staging), home, tar)
        assert.deepEqual([status, stderr], [0, ''])
        const {home: printed, sums} = parseReceiveOutput(stdout)
        assert.equal(printed, home)
        const expected = execFileSync('md5sum', ['--', 'a_1.txt'], {cwd: join(source, staging), encoding: 'utf8'})
        assert.equal(sums.get(`${staging}/a_1.txt`), expected.slice(0, 32))
        assert.ok(sums.has(`${staging}/new\nline_2.txt`))
        assert.ok(existsSync(join(home, 'deep', 'data', staging, 'a_1.txt')))
      }),
    ))

  it("on a first batch, removes this host's parts of other runs and old-layout parts, never another host's", () =>
    inTempDir((home) =>
      inTempDir((source) => {
        const root = join(home, 'data')
        const folders = [
          'sub dir',
          '.director-part-old1-3',
          '.director-part-h1+old2-0',
          '.director-part-h1+mine-1',
          '.director-part-h10+old3-0',
          '.director-part-h2+other-4',
        ]
        for (const folder of folders) {
          mkdirSync(join(root, folder), {recursive: true})
          writeFileSync(join(root, folder, 'x.txt'), 'x')
        }

        writeFileSync(join(root, 'keep.txt'), 'x')
        const staging = '.director-part-h1+mine-0'
        const tar = batchTar(source, staging, ['b_1.txt'])
        const cleanup = {host: 'h1', runId: 'mine'}
        const {status, stderr} = runSh(receiveBatchScript('~/data', staging, cleanup), home, tar)
        assert.deepEqual([status, stderr], [0, ''])
        assert.deepEqual(readdirSync(root).sort(), [
          '.director-part-h1+mine-0',
          '.director-part-h1+mine-1',
          '.director-part-h10+old3-0',
          '.director-part-h2+other-4',
          'keep.txt',
          'sub dir',
        ])
      }),
    ))
})

describe('parseReceiveOutput', () => {
  it('finds the home after whatever a chatty login shell printed first', () => {
    const sum = 'd41d8cd98f00b204e9800998ecf8427e'
    const output = `Welcome!\nstdin: is not a tty\ndirector-home:/home/u\0${sum}  part/a_1.txt\0`
    const {home, sums} = parseReceiveOutput(output)
    assert.equal(home, '/home/u')
    assert.deepEqual([...sums], [['part/a_1.txt', sum]])
  })

  it('gives no home when the script never got to print it', () => {
    assert.equal(parseReceiveOutput('sh: 1: cannot create\n').home, '')
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
