import assert from 'node:assert/strict'
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {describe, it} from 'node:test'

import {
  listName,
  parseMd5sumZ,
  parseReceiveOutput,
  parseSettleOutput,
  partName,
  receiveBatchScript,
  settleScript,
  TAR_RECORD_BYTES,
} from '../../../src/core/data/remote-commands.js'

describe('partName', () => {
  it('puts the part under the final name in the batch staging folder', () => {
    assert.equal(partName('tweet_1.txt', 'ab12', 7), '.director-part-ab12-7/tweet_1.txt')
    assert.equal(partName('a b/c d/x.txt', 'ab12', 7), '.director-part-ab12-7/a b/c d/x.txt')
  })
})

/** The batch's list as director writes it: staged paths, NUL-terminated. */
function partList(staging: string, names: string[]): string {
  return names.map((name) => `${staging}/${name}\0`).join('')
}

/** `count` names of 80-odd bytes each. */
function longNames(count: number): string[] {
  const names: string[] = []
  for (let i = 0; i < count; i++) names.push(`${'x'.repeat(80)}_${i}.txt`)
  return names
}

/** What a settle script prints last once it has run to its end. */
const SETTLED = 'director-settled\0'

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

describe('settleScript', () => {
  it('moves verified files into place, hostile names literally, and leaves nothing behind', () =>
    inTempDir((home) => {
      const root = join(home, 'data')
      const staging = '.director-part-r1-0'
      const names = ['plain_1.txt', 'a b/$(touch pwned)_2.txt', 'q\'u"o/new\nline_3.txt', '-rf/x_4.txt', 'bad_5.txt']
      stage(root, staging, names)
      const verified = names.slice(0, 4)
      const script = settleScript('~/data', {staging, finals: verified, manifest: '{"event":"done"}\n'})
      assert.deepEqual(runSh(script, home), {status: 0, stdout: SETTLED, stderr: ''})
      for (const name of verified) assert.equal(readFileSync(join(root, name), 'utf8'), name)
      assert.ok(!existsSync(join(root, staging)) && !existsSync(join(root, 'bad_5.txt')))
      assert.ok(!existsSync(join(root, 'pwned')) && !existsSync(join(home, 'pwned')))
      assert.equal(readFileSync(join(root, '.director-manifest.jsonl'), 'utf8'), '{"event":"done"}\n')
    }))

  it('prints what could not be moved, NUL-separated, and still removes the staging folder', () =>
    inTempDir((home) => {
      const root = join(home, 'data')
      const staging = '.director-part-r1-1'
      stage(root, staging, ['ok_1.txt', 'taken_2.txt'])
      // A folder under the final name: mv cannot replace it with a file.
      mkdirSync(join(root, 'taken_2.txt', 'inside'), {recursive: true})
      const {status, stdout, stderr} = runSh(
        settleScript('~/data', {staging, finals: ['ok_1.txt', 'taken_2.txt'], manifest: ''}),
        home,
      )
      assert.equal(status, 0)
      assert.match(stderr, /cannot overwrite directory/)
      assert.equal(stdout, `${staging}/taken_2.txt\0${SETTLED}`)
      assert.equal(readFileSync(join(root, 'ok_1.txt'), 'utf8'), 'ok_1.txt')
      assert.ok(!existsSync(join(root, staging)))
    }))

  it('splits the moves of long names over several mv commands', () =>
    inTempDir((home) => {
      const root = join(home, 'data')
      const staging = '.director-part-r1-2'
      const names = Array.from({length: 500}, (_, i) => `${'n'.repeat(240)}_${i}.txt`)
      stage(root, staging, names)
      const script = settleScript('~/data', {staging, finals: names, manifest: ''})
      assert.ok(script.split('\n').filter((line) => line.startsWith('mv ')).length > 1)
      assert.deepEqual(runSh(script, home), {status: 0, stdout: SETTLED, stderr: ''})
      assert.equal(readdirSync(root).length, 500)
    }))
})

describe('receiveBatchScript', () => {
  /** A tar stream of the staging folder's files and its list, as director sends it. */
  function batchTar(dir: string, staging: string, names: string[]): Buffer {
    stage(dir, staging, names)
    writeFileSync(join(dir, listName(staging)), partList(staging, names))
    return execFileSync('tar', ['cf', '-', '-C', dir, staging])
  }

  it('prints the home, unpacks into a new folder and hashes from the disk, in a real sh', () =>
    inTempDir((home) =>
      inTempDir((source) => {
        const staging = '.director-part-r2-0'
        const tar = batchTar(source, staging, ['a_1.txt', 'new\nline_2.txt'])
        const {status, stdout, stderr} = runSh(receiveBatchScript('~/deep/data', staging), home, tar)
        // No settle script follows the stream here: the receive stops after the sums, moving nothing.
        assert.equal(status, 3)
        assert.match(stderr, /nothing moved/)
        const {home: printed, sums} = parseReceiveOutput(stdout)
        assert.equal(printed, home)
        const expected = execFileSync('md5sum', ['--', 'a_1.txt'], {cwd: join(source, staging), encoding: 'utf8'})
        assert.equal(sums.get(`${staging}/a_1.txt`), expected.slice(0, 32))
        assert.ok(sums.has(`${staging}/new\nline_2.txt`))
        assert.ok(existsSync(join(home, 'deep', 'data', staging, 'a_1.txt')))
      }),
    ))

  it('leaves the rest of stdin after the padded tar stream to the settle script, in the same sh', () =>
    inTempDir((home) =>
      inTempDir((source) => {
        const staging = '.director-part-r2-1'
        const names = ['a_1.txt', 'b c_2.txt']
        const tar = batchTar(source, staging, names)
        assert.equal(tar.length % TAR_RECORD_BYTES, 0)
        const settle = settleScript('~/data', {staging, finals: names, manifest: '{"event":"done"}\n'})
        const {status, stdout, stderr} = runSh(
          receiveBatchScript('~/data', staging),
          home,
          Buffer.concat([tar, Buffer.from(settle)]),
        )
        assert.deepEqual([status, stderr], [0, ''])
        const output = parseReceiveOutput(stdout)
        assert.deepEqual([output.hashed, output.sums.size, parseSettleOutput(stdout)], [true, 2, []])
        for (const name of names) assert.equal(readFileSync(join(home, 'data', name), 'utf8'), name)
        assert.ok(!existsSync(join(home, 'data', staging)))
        assert.equal(readFileSync(join(home, 'data', '.director-manifest.jsonl'), 'utf8'), '{"event":"done"}\n')
      }),
    ))

  it('runs no move when a tar read past its stream into the moves (unpadded stream)', () =>
    inTempDir((home) =>
      inTempDir((source) => {
        const staging = '.director-part-r2-2'
        const names = longNames(120)
        stage(source, staging, names)
        writeFileSync(join(source, listName(staging)), partList(staging, names))
        // Records of 512 bytes: the receive's tar reads 10240 at a time, into the script.
        const tar = execFileSync('tar', ['-b', '1', '-cf', '-', '-C', source, staging])
        const settle = settleScript('~/data', {staging, finals: names, manifest: ''})
        assert.ok(tar.length % TAR_RECORD_BYTES !== 0 && settle.length > TAR_RECORD_BYTES)
        const input = Buffer.concat([tar, Buffer.from(settle)])
        const {status, stdout, stderr} = runSh(receiveBatchScript('~/data', staging), home, input)
        assert.equal(status, 3)
        assert.match(stderr, /nothing moved/)
        assert.equal(parseSettleOutput(stdout), undefined)
        assert.equal(readdirSync(join(home, 'data', staging)).length, names.length + 1)
      }),
    ))

  it('on a first batch, removes the staging folders of other runs only', () =>
    inTempDir((home) =>
      inTempDir((source) => {
        const root = join(home, 'data')
        for (const folder of ['sub dir', '.director-part-old1-3', '.director-part-mine-1']) {
          mkdirSync(join(root, folder), {recursive: true})
          writeFileSync(join(root, folder, 'x.txt'), 'x')
        }

        writeFileSync(join(root, 'keep.txt'), 'x')
        const tar = batchTar(source, '.director-part-mine-0', ['b_1.txt'])
        const {status} = runSh(receiveBatchScript('~/data', '.director-part-mine-0', 'mine'), home, tar)
        assert.equal(status, 3)
        assert.deepEqual(readdirSync(root).sort(), [
          '.director-part-mine-0',
          '.director-part-mine-1',
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
    const {home, sums, hashed} = parseReceiveOutput(output)
    assert.equal(home, '/home/u')
    assert.deepEqual([...sums], [['part/a_1.txt', sum]])
    assert.equal(hashed, false)
  })

  it("ends the sums at their mark: what follows is the settle script's, even a name that looks like the mark", () => {
    const sum = 'd41d8cd98f00b204e9800998ecf8427e'
    const tricky = `${sum}  part/director-sums-end\0`
    const output = `director-home:/h\0${tricky}director-sums-end\0part/left_1.txt\0${SETTLED}`
    const {sums, hashed} = parseReceiveOutput(output)
    assert.deepEqual([...sums], [['part/director-sums-end', sum]])
    assert.deepEqual([hashed, parseSettleOutput(output)], [true, ['part/left_1.txt']])
  })

  it('takes no move as done when the settle script stopped short of its end mark', () => {
    const hashedOnly = 'director-home:/h\0director-sums-end\0'
    assert.equal(parseSettleOutput(hashedOnly), undefined)
    assert.equal(parseSettleOutput(`${hashedOnly}part/left_1.txt\0`), undefined)
    assert.deepEqual(parseSettleOutput(`${hashedOnly}${SETTLED}`), [])
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
