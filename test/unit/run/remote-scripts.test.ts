import assert from 'node:assert/strict'
import {execFileSync, spawn, spawnSync} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {setTimeout as sleep} from 'node:timers/promises'

import type {RunWhat} from '../../../src/core/remote/run-what.js'

import {hostLayout, runPlace} from '../../../src/core/run/host-layout.js'
import {
  fetchFilesScript,
  killScript,
  pruneScript,
  runScript,
  SETUP_FAILED,
} from '../../../src/core/run/remote-scripts.js'
import {TrailerCutter} from '../../../src/core/run/status-trailer.js'
import {isAlive} from '../../helpers/processes.js'
import {processGroupsOf} from '../../helpers/tasks.js'

// The scripts run through the local /bin/sh with HOME pointing at a temp folder: the same
// shell code the hosts get, without SSH.
const home = mkdtempSync(join(tmpdir(), 'director-remote-scripts-'))
const env = {...process.env, HOME: home}
const hostile = ['a b', "it's", '$(touch pwned)', 'x;touch pwned', 'new\nline', '', '-n', '*']

after(() => rmSync(home, {recursive: true, force: true}))

describe('hostLayout', () => {
  it('puts everything of one host of one run under run/<project>/<run id>/<host>/', () => {
    assert.deepEqual(hostLayout(runPlace('~/director/', 'nightly', 'ID', 'job.sh'), 'node01'), {
      projectDir: '~/director/run/nightly',
      hostDir: '~/director/run/nightly/ID/node01',
      outputDir: '~/director/run/nightly/ID/node01/output',
      script: '~/director/run/nightly/ID/node01/.director/job.sh',
      pidFile: '~/director/run/nightly/ID/node01/.director/pid',
      liveFile: '~/director/run/nightly/ID/node01/.director/live',
      cookie: 'ID-node01',
    })
    assert.equal(hostLayout(runPlace('/srv/d', 'p', 'ID'), 'h').script, undefined)
    assert.throws(() => runPlace('~/d', 'a/b', 'ID'), /invalid project name/)
    assert.throws(() => runPlace('~/d', 'p', 'ID', '..'), /invalid script name/)
  })
})

describe('runScript', () => {
  const layoutOf = (project: string, runId: string, scriptName?: string) =>
    hostLayout(runPlace('~/director', project, runId, scriptName), 'h1')
  const hostDir = (project: string, runId: string): string => join(home, 'director/run', project, runId, 'h1')

  it('runs the uploaded script in run/<project>/<run id>/<host> with every argument literally', () => {
    const layout = layoutOf('p', 'R1', 'job.sh')
    mkdirSync(join(hostDir('p', 'R1'), '.director'), {recursive: true})
    const script = join(hostDir('p', 'R1'), '.director/job.sh')
    writeFileSync(script, '#!/bin/sh\nprintf "%s\\0" "$@"; pwd >&2; echo kept > output/f.txt; exit 7\n')
    chmodSync(script, 0o755)
    const what = {kind: 'script', script, args: hostile} as const
    let stdout = ''
    let status = 0
    try {
      stdout = execFileSync('/bin/sh', ['-c', runScript(layout, what, 5)], {
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
    assert.equal(readFileSync(join(hostDir('p', 'R1'), 'output/f.txt'), 'utf8'), 'kept\n')
    assert.equal(existsSync(join(hostDir('p', 'R1'), 'pwned')), false)
    assert.equal(readFileSync(join(hostDir('p', 'R1'), '.director/pid'), 'utf8'), '', 'the pid file is emptied')
    assert.equal(
      readFileSync(join(hostDir('p', 'R1'), '.director/live'), 'utf8'),
      'ended\n',
      'the live mark says ended',
    )
  })

  it('does not start a script whose go-ahead never comes', () => {
    const layout = layoutOf('p', 'R2', 'job.sh')
    const what: RunWhat = {kind: 'script', script: 'job.sh', args: []}
    assert.throws(
      () => execFileSync('/bin/sh', ['-c', runScript(layout, what, 5)], {env, input: '', stdio: 'pipe'}),
      (error: {status: number}) => error.status === SETUP_FAILED,
    )
    assert.equal(
      readFileSync(join(hostDir('p', 'R2'), '.director/live'), 'utf8'),
      'ended\n',
      'the live mark says ended',
    )
  })

  it('ends stderr with the files trailer, and the tar script lists what output/ holds', () => {
    const layout = layoutOf('q', 'R3')
    const what = {kind: 'command', command: 'echo one > "$DIRECTOR_OUTPUT/a"; echo oops >&2'} as const
    const result = spawnSyncText('/bin/sh', ['-c', `${runScript(layout, what, 5)}`])
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
  const layoutOf = (project: string, runId: string) => hostLayout(runPlace('~/director', project, runId), 'h1')

  // detached: the script leads a session of its own, as under sshd, and the command stays in its
  // group; otherwise (a test runner's group) the command gets a session of its own from setsid.
  for (const [place, detached] of [
    ['leading its own session, as under sshd', true],
    ['started inside another group', false],
  ] as const) {
    it(`kills the whole process tree of a running command, children too: ${place}`, async () => {
      const runId = detached ? 'R4s' : 'R4'
      const layout = layoutOf('k', runId)
      const what = {kind: 'command', command: 'sleep 300 & echo $! > output/child; sleep 301'} as const
      const child = spawn('/bin/sh', ['-c', runScript(layout, what, 5)], {env, stdio: 'ignore', detached})
      const exited = new Promise<null | number>((resolve) => {
        child.once('close', resolve)
      })
      const own = join(home, 'director/run/k', runId, 'h1')
      const childFile = join(own, 'output/child')
      try {
        for (let i = 0; i < 50 && !existsSync(childFile); i++) await sleep(100)
        const sleeper = Number(readFileSync(childFile, 'utf8'))
        assert.ok(isAlive(sleeper))
        const [group] = processGroupsOf([sleeper])
        assert.equal(group === child.pid, detached, `the command's group ${group}, the script's pid ${child.pid}`)
        assert.equal(readFileSync(join(own, '.director/pid'), 'utf8'), `${group}\n`)
        execFileSync('/bin/sh', ['-c', killScript(layout)], {env, timeout: 10_000})
        assert.equal(await exited, 128 + 15, "the script outlives the kill and reports the command's TERM")
        assert.equal(isAlive(sleeper), false, 'the background child was killed too')
        assert.equal(readFileSync(join(own, '.director/live'), 'utf8'), 'ended\n')
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL')
      }
    })
  }

  it('also ends what left the group: setsid, nohup and a double fork', async () => {
    const layout = layoutOf('k', 'R6')
    const command = [
      'o="$DIRECTOR_OUTPUT/pids"',
      'sleep 300 & echo $! >> "$o"',
      'setsid sleep 301 & echo $! >> "$o"',
      'nohup sleep 302 >/dev/null 2>&1 & echo $! >> "$o"',
      '( sleep 303 & echo $! >> "$o" ) &',
      'sleep 304',
    ].join('\n')
    const child = spawn('/bin/sh', ['-c', runScript(layout, {kind: 'command', command}, 5)], {env, stdio: 'ignore'})
    const pidsFile = join(home, 'director/run/k/R6/h1/output/pids')
    const pids = (): number[] =>
      existsSync(pidsFile) ? readFileSync(pidsFile, 'utf8').split('\n').filter(Boolean).map(Number) : []
    try {
      for (let i = 0; i < 50 && pids().length < 4; i++) await sleep(100)
      assert.equal(pids().length, 4)
      assert.deepEqual(
        pids().map((pid) => isAlive(pid)),
        [true, true, true, true],
      )
      execFileSync('/bin/sh', ['-c', killScript(layout)], {env, timeout: 10_000})
      assert.deepEqual(
        pids().map((pid) => isAlive(pid)),
        [false, false, false, false],
      )
    } finally {
      child.kill('SIGKILL')
      for (const pid of pids()) if (isAlive(pid)) process.kill(pid, 'SIGKILL')
    }
  })

  it('returns at once when nothing runs', () => {
    const started = Date.now()
    execFileSync('/bin/sh', ['-c', killScript(layoutOf('none', 'R5'))], {env, timeout: 10_000})
    assert.ok(Date.now() - started < 5000)
  })
})

describe('pruneScript', () => {
  it('keeps the newest runs and every run a host still runs; removes only run folders', () => {
    const project = join(home, 'director/run/prune')
    const ids = Array.from({length: 6}, (_, i) => `2026-11-2${i}T10-00-00.000Z-00a${i}`)
    for (const id of ids) mkdirSync(join(project, id, 'h1/.director'), {recursive: true})
    // The oldest run is still live on one host; the second oldest was left live 8 days ago.
    writeFileSync(join(project, ids[0] ?? '', 'h1/.director/live'), '')
    // The third oldest ended on its host: its mark says so, and it goes.
    writeFileSync(join(project, ids[2] ?? '', 'h1/.director/live'), 'ended\n')
    const stale = join(project, ids[1] ?? '', 'h1/.director/live')
    writeFileSync(stale, '')
    execFileSync('touch', ['-d', '8 days ago', stale])
    mkdirSync(join(project, 'notes'))
    execFileSync('/bin/sh', ['-c', pruneScript(hostLayout(runPlace('~/director', 'prune', ids[5] ?? ''), 'h1'), 3)], {
      env,
    })
    assert.deepEqual(readdirSync(project).sort(), [ids[0], ids[3], ids[4], ids[5], 'notes'])
  })
})

function spawnSyncText(command: string, args: string[]): {stdout: string; stderr: string} {
  const result = spawnSync(command, args, {env, encoding: 'latin1'})
  return {stdout: result.stdout, stderr: result.stderr}
}
