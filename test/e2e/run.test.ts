import assert from 'node:assert/strict'
// `director run` against a real sshd fleet: outputs and exit codes, literal arguments, files
// brought back, bounded memory on large output, the kill on --timeout, a host down, --gather,
// --json and --rerun.
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {setTimeout as sleep} from 'node:timers/promises'

import type {RunOnFleetReport} from '../../src/core/run/run-on-fleet.js'

import {type Fleet, startFleet} from '../../fixtures/fleet/fleet.js'
import {type CliOptions, runCli, runCliJson} from '../helpers/cli.js'

const hostile = ['a b', "it's", '"quoted"', '$(touch pwned)', '`touch pwned`', 'x; touch pwned', 'two\nlines', '', '*']

describe('director run on a fleet of 4 hosts', () => {
  let current: Fleet | undefined
  const work = mkdtempSync(join(tmpdir(), 'director-run-e2e-'))
  const fleet = (): Fleet => current ?? assert.fail('the fleet did not start')
  const options = (): CliOptions => ({cwd: work, env: fleet().env()})
  const hostDir = (report: RunOnFleetReport, host: string): string => join(report.folder, host)
  const script = (name: string, body: string): string => {
    writeFileSync(join(work, name), `#!/bin/sh\n${body}\n`)
    return name
  }

  before(async () => {
    current = await startFleet({faults: true, hosts: 4})
  })

  after(async () => {
    await current?.down()
    rmSync(work, {recursive: true, force: true})
  })

  test('runs a script on every host: outputs and exit codes per host, one host fails', async () => {
    const job = script('job.sh', 'echo "on $HOME"; echo warn >&2\ncase "$SSH_CONNECTION" in *127.0.1.2*) exit 3;; esac')
    const {code, json, stderr} = await runCliJson<RunOnFleetReport>(['run', job, '--project', 'p1'], options())
    assert.equal(code, 1, stderr)
    assert.deepEqual(json.counts, {ok: 3, failed: 1, timeout: 0, unreachable: 0, interrupted: 0})
    for (const [i, host] of fleet().hosts.entries()) {
      const run = json.hosts[i] ?? assert.fail('missing host')
      assert.equal(run.host, host.address)
      assert.equal(run.state, i === 1 ? 'failed' : 'ok')
      assert.equal(run.exitCode, i === 1 ? 3 : 0)
      const dir = hostDir(json, host.address)
      assert.equal(readFileSync(join(dir, 'stdout'), 'utf8'), `on ${host.home}\n`)
      assert.equal(readFileSync(join(dir, 'stderr'), 'utf8'), 'warn\n')
      assert.equal(readFileSync(join(dir, 'exit_code'), 'utf8'), `${run.exitCode}\n`)
      assert.match(readFileSync(join(dir, 'timing'), 'utf8'), /^started .*\nfinished .*\nconnect_ms \d+\n/)
      assert.equal(run.stdoutBytes, `on ${host.home}\n`.length)
      const uploaded = join(host.home, 'director/bin/p1/job.sh')
      assert.equal(statSync(uploaded).mode.toString(8).slice(-3), '755')
    }

    const summary = JSON.parse(readFileSync(join(json.folder, 'summary.json'), 'utf8')) as RunOnFleetReport
    assert.deepEqual(summary.hosts, json.hosts)
    assert.deepEqual(Object.keys(json).sort(), [
      'counts',
      'finishedAt',
      'folder',
      'hosts',
      'interrupted',
      'ms',
      'project',
      'remoteRoot',
      'runId',
      'startedAt',
      'version',
      'what',
    ])
    assert.deepEqual(json.what, {kind: 'script', script: join(work, 'job.sh'), args: []})
  })

  test('arguments with spaces, quotes, $(), ; and newlines arrive literally and nothing runs', async () => {
    const args = script('args.sh', String.raw`printf '%s\0' "$@"`)
    // --json goes before `--`: after it, everything is an argument of the script.
    const {code, stdout} = await runCli(['run', '--json', args, '--', ...hostile], options())
    assert.equal(code, 0)
    const json = JSON.parse(stdout) as RunOnFleetReport
    for (const host of fleet().hosts) {
      const stdout = readFileSync(join(hostDir(json, host.address), 'stdout'), 'utf8')
      assert.deepEqual(stdout.split('\0').slice(0, -1), hostile)
      for (const dir of [host.home, join(host.home, 'director/run/default')])
        assert.equal(existsSync(join(dir, 'pwned')), false, `a marker file appeared in ${dir}`)
    }
  })

  test('arguments keep their order even when one equals a flag value (--project demo job demo)', async () => {
    const args = script('order.sh', String.raw`printf '%s\0' "$@"`)
    const {code, json} = await runCliJson<RunOnFleetReport>(
      ['run', '--project', 'demo', args, 'demo', 'x', 'demo'],
      options(),
    )
    assert.equal(code, 0)
    const first = fleet().hosts[0]
    assert.ok(first)
    const stdout = readFileSync(join(hostDir(json, first.address), 'stdout'), 'utf8')
    assert.deepEqual(stdout.split('\0').slice(0, -1), ['demo', 'x', 'demo'])
  })

  test('files the script writes under output/ come back into <host>/files/', async () => {
    const job = script(
      'files.sh',
      'mkdir -p output/sub; hostname > output/name.txt; head -c 100000 /dev/urandom > output/sub/blob',
    )
    const {code, json} = await runCliJson<RunOnFleetReport>(['run', job], options())
    assert.equal(code, 0)
    for (const [i, host] of fleet().hosts.entries()) {
      const files = join(hostDir(json, host.address), 'files')
      assert.deepEqual(readdirSync(files).sort(), ['name.txt', 'sub'])
      const remote = join(host.home, 'director/run/default/output/sub/blob')
      assert.deepEqual(readFileSync(join(files, 'sub/blob')), readFileSync(remote))
      assert.equal(json.hosts[i]?.files, 2)
    }

    const none = await runCliJson<RunOnFleetReport>(['run', '-c', 'true'], options())
    for (const host of none.json.hosts) assert.equal(existsSync(join(host.folder, 'files')), false)
  })

  // node:test passes a TestContext here, not mocha's done callback.
  // eslint-disable-next-line mocha/handle-done-callback
  test('60 MB of output lands on disk whole while memory stays bounded', async (t) => {
    const {code, json, peakRss} = await runCliJson<RunOnFleetReport>(
      ['run', '-c', 'head -c 60000000 /dev/zero; echo done >&2', '--limit', '127.0.1.1'],
      {...options(), timeoutMs: 120_000},
    )
    assert.equal(code, 0)
    const host = json.hosts[0] ?? assert.fail('no host')
    assert.equal(statSync(join(host.folder, 'stdout')).size, 60_000_000)
    assert.equal(host.stdoutBytes, 60_000_000)
    assert.ok(peakRss > 0, 'memory was sampled')
    t.diagnostic(`peak RSS of director: ${Math.round(peakRss / 1024 / 1024)} MiB for 60 MB of stdout`)
    assert.ok(peakRss < 200 * 1024 * 1024, `peak RSS ${Math.round(peakRss / 1024 / 1024)} MiB`)
  })

  test('--timeout reports the host timed out and kills its whole remote process tree', async () => {
    const command = 'sleep 300 & echo $! > output/child; echo $$ > output/self; sleep 301'
    const {code, json} = await runCliJson<RunOnFleetReport>(
      ['run', '-c', command, '--timeout', '2', '--limit', '127.0.1.3', '--project', 'slow'],
      options(),
    )
    assert.equal(code, 1)
    const run = json.hosts[0] ?? assert.fail('no host')
    assert.equal(run.state, 'timeout')
    assert.equal(run.failure?.kind, 'timeout')
    assert.ok(run.timings.totalMs < 15_000)
    const output = join(fleet().host(3).home, 'director/run/slow/output')
    // Pids inside host 3, looked up in its pid namespace.
    const pids = ['child', 'self'].map((name) => Number(readFileSync(join(output, name), 'utf8')))
    const alive = (pid: number): boolean => fleet().isAliveOn(3, pid)
    for (let i = 0; i < 30 && pids.some((pid) => alive(pid)); i++) await sleep(100)
    for (const pid of pids) assert.equal(alive(pid), false, `remote process ${pid} still runs`)
    assert.equal(readFileSync(join(run.folder, 'files', 'child'), 'utf8'), `${pids[0]}\n`, 'files still come back')
  })

  test('Ctrl-C kills every remote process tree, writes what was collected and exits 130', async () => {
    const command = 'echo started; sleep 300 & echo $! > output/child; sleep 301'
    const outputs = fleet().hosts.map((host) => join(host.home, 'director/run/ctrl-c/output/child'))
    const {code, stdout} = await runCli(['run', '-c', command, '--project', 'ctrl-c', '--json'], {
      ...options(),
      interruptWhen: () => outputs.every((file) => existsSync(file) && readFileSync(file, 'utf8').endsWith('\n')),
    })
    assert.equal(code, 130)
    const json = JSON.parse(stdout) as RunOnFleetReport
    assert.equal(json.interrupted, true)
    assert.deepEqual(
      json.hosts.map((run) => run.state),
      ['interrupted', 'interrupted', 'interrupted', 'interrupted'],
    )
    const summary = JSON.parse(readFileSync(join(json.folder, 'summary.json'), 'utf8')) as RunOnFleetReport
    assert.equal(summary.counts.interrupted, 4)
    // pids[i] is a pid inside host i + 1, looked up in its pid namespace.
    const pids = outputs.map((file) => Number(readFileSync(file, 'utf8')))
    const alive = (pid: number, i: number): boolean => fleet().isAliveOn(i + 1, pid)
    for (let i = 0; i < 30 && pids.some((pid, i) => alive(pid, i)); i++) await sleep(100)
    for (const [i, pid] of pids.entries()) assert.equal(alive(pid, i), false, `remote process ${pid} still runs`)
    for (const run of json.hosts) assert.equal(readFileSync(join(run.folder, 'stdout'), 'utf8'), 'started\n')
  })

  test('a host that is down is reported unreachable; the others run', async () => {
    const refused = fleet().faults?.refused ?? assert.fail('no faults')
    const clients = fleet().writeClientsConf(['127.0.1.1', refused.address], 'with-down.conf')
    const {code, json, stdout} = await runCliJson<RunOnFleetReport>(
      ['run', '-c', 'echo up', '--clients', clients, '--project', 'down'],
      options(),
    )
    assert.equal(code, 1, stdout)
    assert.deepEqual(
      json.hosts.map((run) => [run.host, run.state, run.failure?.kind]),
      [
        ['127.0.1.1', 'ok', undefined],
        [refused.address, 'unreachable', 'refused'],
      ],
    )
    assert.match(readFileSync(join(json.hosts[1]?.folder ?? '', 'error'), 'utf8'), /^unreachable: refused: /)
    const again = await runCliJson<RunOnFleetReport>(
      ['run', '--rerun', 'unreachable', '--clients', clients, '--project', 'down'],
      options(),
    )
    assert.deepEqual(
      again.json.hosts.map((run) => run.host),
      [refused.address],
    )
  })

  test('--gather folds hosts with identical output under a compact host list', async () => {
    const command = 'echo same; case "$SSH_CONNECTION" in *127.0.1.3*) echo odd;; esac'
    const {code, stdout} = await runCli(['run', '-c', command, '--gather'], options())
    assert.equal(code, 0)
    const rule = '-'.repeat(15)
    assert.ok(
      stdout.startsWith(
        [rule, '127.0.1.[1-2,4] (3)', rule, 'same', rule, '127.0.1.3 (1)', rule, 'same', 'odd', ''].join('\n'),
      ),
      stdout,
    )
    assert.match(stdout, /^4\/4 hosts ok$/m)
  })

  test('--stream prints each line as it arrives, prefixed with its host', async () => {
    const {code, stderr, stdout} = await runCli(['run', '-c', 'echo out; echo err >&2', '--stream'], options())
    assert.equal(code, 0)
    for (const host of fleet().hosts) {
      assert.match(stdout, new RegExp(`^${host.address.replaceAll('.', String.raw`\.`)}: out$`, 'm'))
      assert.match(stderr, new RegExp(`^${host.address.replaceAll('.', String.raw`\.`)}!: err$`, 'm'))
    }
  })

  test('--rerun failed repeats the last run on exactly the hosts that failed', async () => {
    const marker = join(fleet().host(2).home, 'fail-me')
    writeFileSync(marker, '')
    const job = script('flaky.sh', '[ ! -e "$HOME/fail-me" ]')
    const first = await runCliJson<RunOnFleetReport>(['run', job, '--project', 'flaky'], options())
    assert.equal(first.code, 1)
    unlinkSync(marker)
    const rerun = await runCliJson<RunOnFleetReport>(['run', '--rerun', 'failed', '--project', 'flaky'], options())
    assert.equal(rerun.code, 0, rerun.stderr)
    assert.deepEqual(
      rerun.json.hosts.map((run) => [run.host, run.state]),
      [['127.0.1.2', 'ok']],
    )
    assert.equal(rerun.json.rerun?.from, first.json.runId)
    const nothing = await runCliJson<RunOnFleetReport>(['run', '--rerun', 'failed', '--project', 'flaky'], options())
    assert.equal(nothing.code, 0)
    assert.deepEqual(nothing.json.hosts, [])
  })

  test('usage errors exit 2 and run nothing', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['run', 'no-such.sh'], /^Error: no-such\.sh: no such script \(nothing was run\)$/m],
      [['run', 'job.sh', '-c', 'true'], /not both/],
      [['run'], /nothing to run/],
      [['run', '--rerun', 'failed', '--project', 'never'], /no earlier run of project "never"/],
      [['run', '-c', 'true', '--project', '../x'], /invalid folder name/],
    ]
    for (const [args, message] of cases) {
      const {code, stderr} = await runCli([...args, '--out', join(work, 'usage')], options())
      assert.equal(code, 2, `${args.join(' ')}: ${stderr}`)
      assert.match(stderr, message)
    }

    assert.equal(existsSync(join(work, 'usage')), false, 'nothing was written')
  })
})
