import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {UsageError} from '../../../src/core/errors.js'
import {
  checkFolderName,
  hostPathComponent,
  remoteRootOf,
  remoteShellWord,
  resolveRemotePath,
} from '../../../src/core/remote/remote-path.js'

describe('resolveRemotePath', () => {
  const cases: Array<[string, string]> = [
    ['~', '/home/u'],
    ['~/data', '/home/u/data'],
    ['data/x', '/home/u/data/x'],
    ['.', '/home/u'],
    ['/srv/a/../b', '/srv/b'],
    ['/tmp/with space', '/tmp/with space'],
  ]
  for (const [path, expected] of cases) {
    it(`${path} -> ${expected}`, () => assert.equal(resolveRemotePath(path, '/home/u'), expected))
  }

  it('refuses ~user', () => assert.throws(() => resolveRemotePath('~bob/x', '/home/u'), UsageError))
})

describe('checkFolderName', () => {
  for (const name of ['results', 'a b', "it's", '$(touch x)', '-rf', 'ünï']) {
    it(`accepts ${JSON.stringify(name)}`, () => assert.doesNotThrow(() => checkFolderName(name)))
  }

  const rejected: Array<[string, string]> = [
    ['', 'invalid folder name "": it is empty: give one name (e.g. "results")'],
    ['.', 'invalid folder name ".": "." is not a name of its own: give one name (e.g. "results")'],
    ['..', 'invalid folder name "..": ".." is not a name of its own: give one name (e.g. "results")'],
    ['a/b', 'invalid folder name "a/b": give one name, without "/" (e.g. "results")'],
    ['nul\0', `invalid folder name ${JSON.stringify('nul\0')}: it contains a NUL byte`],
  ]
  for (const [name, message] of rejected) {
    it(`rejects ${JSON.stringify(name)}`, () =>
      assert.throws(
        () => checkFolderName(name),
        (error) => error instanceof UsageError && error.message === message,
      ))
  }

  it('names what the name is for', () =>
    assert.throws(() => checkFolderName('../escape', 'project name'), {
      message: 'invalid project name "../escape": give one name, without "/" (e.g. "results")',
    }))
})

describe('hostPathComponent', () => {
  const cases: Array<[string, string]> = [
    ['node01', 'node01'],
    ['127.0.1.1', '127.0.1.1'],
    ['admin@node02:2222', 'admin@node02%3A2222'],
    ['[2001:db8::10]:22', '%5B2001%3Adb8%3A%3A10%5D%3A22'],
    ['.hidden', '%2Ehidden'],
    ['a/b', 'a%2Fb'],
    ['a%2Fb', 'a%252Fb'],
    ['nœud', 'n%C5%93ud'],
  ]
  for (const [name, safe] of cases) {
    it(`${JSON.stringify(name)} -> ${safe}`, () => {
      assert.equal(hostPathComponent(name), safe)
      assert.doesNotThrow(() => checkFolderName(safe))
    })
  }
})

describe('remoteShellWord', () => {
  it('writes remote paths as shell words that expand only the home', () => {
    assert.equal(remoteShellWord('~/director/x'), '"$HOME"/director/x')
    assert.equal(remoteShellWord("/srv/it's"), String.raw`'/srv/it'\''s'`)
    assert.equal(remoteShellWord('rel $x'), `"$HOME"/'rel $x'`)
  })
})

describe('remoteRootOf', () => {
  const cases: Array<[string, string]> = [
    ['~', '~'],
    ['~/director/', '~/director'],
    ['/srv/d//', '/srv/d'],
    ['/', '/'],
    ['rel', 'rel'],
  ]
  for (const [root, joined] of cases) it(`${root} -> ${joined}`, () => assert.equal(remoteRootOf(root), joined))
})
