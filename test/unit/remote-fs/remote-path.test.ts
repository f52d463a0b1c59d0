import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {UsageError} from '../../../src/core/errors.js'
import {checkFolderName, resolveRemotePath} from '../../../src/core/remote-fs/remote-path.js'

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

  for (const name of ['', '.', '..', 'a/b', 'nul\0']) {
    it(`rejects ${JSON.stringify(name)}`, () => assert.throws(() => checkFolderName(name), UsageError))
  }
})
