import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {findSharedHomes, HOME_IDENTITY_COMMAND, parseHomeIdentity} from '../../../src/core/status/home-identity.js'

/** The command's output in a real sh with HOME set. */
function homeIdentity(home: string): string {
  return spawnSync('/bin/sh', ['-c', HOME_IDENTITY_COMMAND], {env: {...process.env, HOME: home}, encoding: 'utf8'})
    .stdout
}

describe('home identity', () => {
  it('is the same for one folder and differs for another, in a real sh', () => {
    const a = mkdtempSync(join(tmpdir(), 'director-home-a-'))
    const b = mkdtempSync(join(tmpdir(), 'director-home-b-'))
    try {
      const first = parseHomeIdentity(homeIdentity(a))
      assert.match(first ?? '', /^\d+:\d+$/)
      assert.equal(parseHomeIdentity(homeIdentity(a)), first)
      assert.notEqual(parseHomeIdentity(homeIdentity(b)), first)
    } finally {
      rmSync(a, {recursive: true, force: true})
      rmSync(b, {recursive: true, force: true})
    }
  })

  const outputs: Array<[string, string | undefined]> = [
    ['director-home-id:1234:1700000000\n', '1234:1700000000'],
    ['Welcome to node01!\ndirector-home-id:42:7', '42:7'],
    ["stat: cannot statx '/nope': No such file or directory\n", undefined],
    ['director-home-id:', undefined],
  ]
  for (const [output, identity] of outputs) {
    it(`reads ${JSON.stringify(output)}`, () => assert.equal(parseHomeIdentity(output), identity))
  }

  it('groups the hosts that share a home, in the order given; unknown homes are left out', () => {
    assert.deepEqual(
      findSharedHomes([
        {host: 'a', home: '1:1'},
        {host: 'b', home: '2:1'},
        {host: 'c', home: '1:1'},
        {host: 'd', home: undefined},
        {host: 'e', home: undefined},
        {host: 'f', home: '2:1'},
        {host: 'g', home: '3:3'},
      ]),
      [
        ['a', 'c'],
        ['b', 'f'],
      ],
    )
  })
})
