import assert from 'node:assert/strict'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'

import type {Host} from '../../../src/core/inventory/host.js'
import type {HostRun, RunReport} from '../../../src/core/run/run-report.js'

import {planRerun} from '../../../src/core/run/plan-rerun.js'
import {isRunId, makeRunId} from '../../../src/core/run/run-id.js'
import {emptyHostRun} from '../../../src/core/run/run-report.js'
import {chooseWhat, type RunRequest} from '../../../src/core/run/run-request.js'

const cwd = mkdtempSync(join(tmpdir(), 'director-run-request-'))
writeFileSync(join(cwd, 'job.sh'), 'true\n')
after(() => rmSync(cwd, {recursive: true, force: true}))

const base: RunRequest = {args: [], project: 'default', remoteRoot: '~/director', keepRuns: 5, outDir: 'output', cwd}

describe('chooseWhat', () => {
  it('takes a script with its arguments, or a command', () => {
    assert.deepEqual(chooseWhat({...base, script: 'job.sh', args: ['a b']}), {
      kind: 'script',
      script: join(cwd, 'job.sh'),
      args: ['a b'],
    })
    assert.deepEqual(chooseWhat({...base, command: 'uptime'}), {kind: 'command', command: 'uptime'})
    assert.equal(chooseWhat({...base, rerun: 'failed'}), undefined)
  })

  const bad: Array<[Partial<RunRequest>, RegExp]> = [
    [{script: 'job.sh', command: 'true'}, /not both/],
    [{}, /nothing to run/],
    [{command: ' '}, /empty/],
    [{script: 'missing.sh'}, /missing\.sh: no such script \(nothing was run\)$/],
    [{script: '.'}, /not a file/],
  ]
  for (const [request, message] of bad) {
    it(`refuses ${JSON.stringify(request)}`, () => assert.throws(() => chooseWhat({...base, ...request}), message))
  }
})

describe('makeRunId', () => {
  it('sorts by start time and is a safe folder name', () => {
    const a = makeRunId(new Date('2026-11-23T15:50:01.123Z'), '4f2a')
    assert.equal(a, '2026-11-23T15-50-01.123Z-4f2a')
    assert.ok(isRunId(a))
    assert.ok(a < makeRunId(new Date('2026-11-23T15:50:01.124Z'), '0000'))
    assert.ok(isRunId(makeRunId()))
    assert.equal(isRunId('latest'), false)
  })
})

describe('planRerun', () => {
  const host = (name: string): Host => ({
    name,
    address: name,
    port: 22,
    user: 'root',
    identityFiles: [],
    knownHostsFiles: [],
    origin: {address: 'inventory', port: 'default', user: 'default'},
    line: 1,
  })
  const run = (name: string, state: HostRun['state']): HostRun => emptyHostRun(name, name, state)
  const last = {
    runId: 'R',
    what: {kind: 'command', command: 'x'},
    remoteRoot: '/srv',
    hosts: [run('a', 'ok'), run('b', 'failed'), run('c', 'timeout'), run('d', 'failed'), run('gone', 'failed')],
  } as RunReport

  it('picks exactly the hosts that ended that way, in inventory order', () => {
    const plan = planRerun(last, 'failed', [host('d'), host('c'), host('b'), host('a')])
    assert.deepEqual(
      plan.hosts.map((h) => h.name),
      ['d', 'b'],
    )
    assert.deepEqual(plan.missing, ['gone'])
    assert.deepEqual(plan.what, {kind: 'command', command: 'x'})
    assert.equal(plan.remoteRoot, '/srv')
    assert.deepEqual(
      planRerun(last, 'timeout', [host('c')]).hosts.map((h) => h.name),
      ['c'],
    )
    assert.deepEqual(planRerun(last, 'unreachable', [host('a')]).hosts, [])
  })
})
