import assert from 'node:assert/strict'
import {execFileSync, spawn, spawnSync} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {setTimeout as sleep} from 'node:timers/promises'

import {remoteLayout, remoteShellWord} from '../../../src/core/run/remote-layout.js'
import {
  fetchFilesScript,
  killScript,
  runScript,
  type RunWhat,
  SETUP_FAILED,
} from '../../../src/core/run/remote-scripts.js'
import {TrailerCutter} from '../../../src/core/run/status-trailer.js'
import {isAlive} from '../../helpers/processes.js'

// The scripts run through the local /bin/sh with HOME pointing at a temp folder: the same
// shell code the hosts get, without SSH.
const home = mkdtempSync(join(tmpdir(), 'director-remote-scripts-'))
const env = {...process.env, HOME: home}
const hostile = ['a b', "it's", '$(touch pwned)', 'x;touch pwned', 'new\nline', '', '-n', '*']

after(() => rmSync(home, {recursive: true, force: true}))

describe('remoteLayout', () => {
  it('puts the script in bin/<project> and the work in run/<project>', () => {
    assert.deepEqual(remoteLayout('~/director/', 'nightly', 'ID', 'job.sh'), {
      binDir: '~/director/bin/nightly',
      script: '~/director/bin/nightly/job.sh',
      runDir: '~/director/run/nightly',
      outputDir: '~/director/run/nightly/output',
      pidFile: '~/director/run/nightly/.director-ID.pid',
    })
    assert.equal(remoteLayout('/srv/d', 'p', 'ID').script, undefined)
  })

  it('refuses project names that are not one folder name', () => {
    for (const project of ['', '..', 'a/b'])
      assert.throws(() => remoteLayout('~/d', project, 'ID'), /invalid folder name/)
    assert.throws(() => remoteLayout('~bob/d', 'p', 'ID'), /~user paths/)
  })

  it('writes remote paths as shell words that expand only the home', () => {
    assert.equal(remoteShellWord('~/director/x'), '"$HOME"/director/x')
    assert.equal(remoteShellWord("/srv/it's"), String.raw`'/srv/it'\''s'`)
    assert.equal(remoteShellWord('rel $x'), `"$HOME"/'rel $x'`)
  })
})

describe('runScript', () => {
  it('runs the uploaded script in run/<project> with every argument literally', () => {
    const layout = remoteLayout('~/director', 'p', 'R1', 'job.sh')
    mkdirSync(join(home, 'director/bin/p'), {recursive: true})
    const script = join(home, 'director/bin/p/job.sh')
    writeFileSync(script, '#!/bin/sh\nprintf "%s\\0" "$@"; pwd >&2; echo kept > output/f.txt; exit 7\n')
    chmodSync(script, 0o755)
    const what = {kind: 'script', script, args: hostile} as const
    let stdout = ''
    let status = 0
    try {
      stdout = execFileSync('/bin/sh', ['-c', runScript(layout, what, 'R1')], {
        env,
        input: 'go\n',
        encoding: 'utf8',
        stdio: 'pipe',
      })
    } catch (error) {
      const failed = error as {status: number; stdout: string}
      status = failed.status
      stdout = failed.stdout
    }

    assert.equal(status, 7)
    assert.deepEqual(stdout.split('\0').slice(0, -1), hostile)
    assert.equal(readFileSync(join(home, 'director/run/p/output/f.txt'), 'utf8'), 'kept\n')
    assert.equal(existsSync(join(home, 'director/run/p/pwned')), false)
    assert.equal(existsSync(join(home, 'director/run/p/.director-R1.pid')), false, 'the pid file is removed')
  })

  it('does not start a script whose go-ahead never comes', () => {
    const layout = remoteLayout('~/director', 'p', 'R2', 'job.sh')
    const what: RunWhat = {kind: 'script', script: 'job.sh', args: []}
    assert.throws(
      () => execFileSync('/bin/sh', ['-c', runScript(layout, what, 'R2')], {env, input: '', stdio: 'pipe'}),
      (error: {status: number}) => error.status === SETUP_FAILED,
    )
  })

  it('ends stderr with the files trailer, and the tar script lists what output/ holds', () => {
    const layout = remoteLayout('~/director', 'q', 'R3')
    const what = {kind: 'command', command: 'echo one > output/a; echo oops >&2'} as const
    const result = spawnSyncText('/bin/sh', ['-c', `${runScript(layout, what, 'R3')}`])
    const cutter = new TrailerCutter()
    const passed = cutter.push(Buffer.from(result.stderr, 'latin1'))
    const end = cutter.end()
    assert.equal(Buffer.concat([passed, end.rest]).toString(), 'oops\n')
    assert.equal(end.hasFiles, true)
    const listing = execFileSync('/bin/sh', ['-c', `${fetchFilesScript(layout)} | tar tf -`], {env, encoding: 'utf8'})
    assert.deepEqual(listing.split('\n').filter(Boolean).sort(), ['./', './a'])
  })
})

describe('killScript', () => {
  it('kills the whole process tree of a running command, children too', async () => {
    const layout = remoteLayout('~/director', 'k', 'R4')
    const what = {kind: 'command', command: 'sleep 300 & echo $! > output/child; sleep 301'} as const
    const child = spawn('/bin/sh', ['-c', runScript(layout, what, 'R4')], {env, stdio: 'ignore'})
    const exited = new Promise<null | number>((resolve) => {
      child.once('close', resolve)
    })
    const childFile = join(home, 'director/run/k/output/child')
    try {
      for (let i = 0; i < 50 && !existsSync(childFile); i++) await sleep(100)
      const sleeper = Number(readFileSync(childFile, 'utf8'))
      assert.ok(isAlive(sleeper))
      execFileSync('/bin/sh', ['-c', killScript(layout)], {env, timeout: 10_000})
      assert.equal(await exited, 128 + 15)
      assert.equal(isAlive(sleeper), false, 'the background child was killed too')
    } finally {
      child.kill('SIGKILL')
    }
  })

  it('returns at once when nothing runs', () => {
    const started = Date.now()
    execFileSync('/bin/sh', ['-c', killScript(remoteLayout('~/director', 'none', 'R5'))], {env, timeout: 10_000})
    assert.ok(Date.now() - started < 5000)
  })
})

function spawnSyncText(command: string, args: string[]): {stdout: string; stderr: string} {
  const result = spawnSync(command, args, {env, encoding: 'latin1'})
  return {stdout: result.stdout, stderr: result.stderr}
}
