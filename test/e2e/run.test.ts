import assert from 'node:assert/strict'
// `director run` against a real sshd fleet: outputs and exit codes, literal arguments, files
// brought back, bounded memory on large output, the kill on --timeout, Ctrl-C and SIGTERM (also
// of processes that left the group), concurrent runs of one project, a shared home, an
// unwritable --out, a host down, --gather, --json and --rerun.
import {spawn} from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import {basename, dirname, join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {setTimeout as sleep} from 'node:timers/promises'

import type {RunOnFleetReport} from '../../src/core/run/run-on-fleet.js'

import {type Fleet, startFleet} from '../../fixtures/fleet/fleet.js'
import {type CliOptions, runCli, runCliJson} from '../helpers/cli.js'
import {repoRoot} from '../helpers/paths.js'
import {isAlive} from '../helpers/processes.js'

/** Pids of the live (not zombie) processes on this machine whose environment holds `entry`. */
function processesWith(entry: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(entry)
      } catch {
        return false
      }
    })
    .map(Number)
    .filter((pid) => isAlive(pid))
}

/** The pids a run wrote, one a line, into a file. */
function pidsIn(file: string): number[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number)
}

/**
 * Waits (at most `ms`) until none of `pids` is alive on fleet host `index` (pids as that host,
 * in its own pid namespace, sees them); returns those still alive.
 */
async function aliveAfter(fleet: Fleet, index: number, pids: number[], ms: number): Promise<number[]> {
  const alive = (pid: number): boolean => fleet.isAliveOn(index, pid)
  for (let i = 0; i < ms / 100 && pids.some((pid) => alive(pid)); i++) await sleep(100)
  return pids.filter((pid) => alive(pid))
}

const hostile = ['a b', "it's", '"quoted"', '$(touch pwned)', '`touch pwned`', 'x; touch pwned', 'two\nlines', '', '*']

describe('director run on a fleet of 4 hosts', () => {
  let current: Fleet | undefined
  const work = mkdtempSync(join(tmpdir(), 'director-run-e2e-'))
  const fleet = (): Fleet => current ?? assert.fail('the fleet did not start')
  const options = (): CliOptions => ({cwd: work, env: fleet().env()})
  const hostDir = (report: RunOnFleetReport, host: string): string => join(report.folder, host)
  /** The host's remote folder of a run: <home>/director/run/<project>/<run id>/<host>. */
  const remoteDir = (index: number, project: string, runId: string): string =>
    join(fleet().host(index).home, 'director/run', project, runId, fleet().host(index).address)
  /** The remote folder of the only run of a project so far, once it exists. */
  const onlyRemoteDir = (index: number, project: string): string | undefined => {
    const runs = readdirSync(join(fleet().host(index).home, 'director/run', project), {withFileTypes: true}).filter(
      (entry) => entry.isDirectory(),
    )
    return runs.length === 1 && runs[0] ? remoteDir(index, project, runs[0].name) : undefined
  }

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
      const uploaded = join(remoteDir(i + 1, 'p1', json.runId), '.director/job.sh')
      assert.equal(statSync(uploaded).mode.toString(8).slice(-3), '755')
      assert.equal(run.stdoutHead, `on ${host.home}\n`)
      assert.equal(run.stderrHead, 'warn\n')
      assert.equal(run.stdoutFile, join(dir, 'stdout'))
      assert.equal(run.stderrFile, join(dir, 'stderr'))
    }

    const latest = join(work, 'output/p1/latest')
    assert.ok(lstatSync(latest).isSymbolicLink())
    assert.equal(readlinkSync(latest), json.runId)

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
      for (const dir of [host.home, remoteDir(host.index, 'default', json.runId)])
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
      const remote = join(remoteDir(i + 1, 'default', json.runId), 'output/sub/blob')
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

  test('--timeout ends every process of the run, also setsid, nohup and double-forked ones: exit 1, timeout', async () => {
    // The command itself returns at once (as `sleep 40 & echo bg` does); what it left behind
    // holds the channel open, or has left the process group and holds nothing at all.
    const command = [
      'o="$DIRECTOR_OUTPUT/pids"',
      'sleep 300 & echo $! >> "$o"',
      'setsid sleep 301 & echo $! >> "$o"',
      'nohup sleep 302 >/dev/null 2>&1 & echo $! >> "$o"',
      '( setsid sleep 303 </dev/null >/dev/null 2>&1 & echo $! >> "$o" ) &',
      'echo bg',
    ].join('\n')
    const {code, json} = await runCliJson<RunOnFleetReport>(
      ['run', '-c', command, '--timeout', '2', '--limit', '127.0.1.3', '--project', 'slow'],
      options(),
    )
    assert.equal(code, 1)
    const run = json.hosts[0] ?? assert.fail('no host')
    assert.equal(run.state, 'timeout')
    assert.equal(run.failure?.kind, 'timeout')
    // The time asked (2 s) plus the kill's grace (2 s), with room for the login on a busy machine.
    assert.ok(run.timings.totalMs < 8000, `took ${run.timings.totalMs} ms`)
    const pids = pidsIn(join(remoteDir(3, 'slow', json.runId), 'output/pids'))
    assert.equal(pids.length, 4, 'the command started its four children')
    assert.deepEqual(await aliveAfter(fleet(), 3, pids, 2000), [], 'children still alive on the host')
    assert.deepEqual(processesWith(`DIRECTOR_RUN_ID=${json.runId}-127.0.1.3`), [], 'processes of the run still alive')
    assert.deepEqual(pidsIn(join(run.folder, 'files', 'pids')), pids, 'files still come back')
  })

  test('Ctrl-C kills every remote process tree, writes what was collected and exits 130', async () => {
    const command = 'echo started; sleep 300 & echo $! > "$DIRECTOR_OUTPUT/child"; setsid sleep 301'
    const child = (index: number): string | undefined => {
      const dir = onlyRemoteDir(index, 'ctrl-c')
      return dir === undefined ? undefined : join(dir, 'output/child')
    }

    const started = (): boolean =>
      fleet().hosts.every((host) => {
        const file = existsSync(join(host.home, 'director/run/ctrl-c')) ? child(host.index) : undefined
        return file !== undefined && existsSync(file) && readFileSync(file, 'utf8').endsWith('\n')
      })
    const {code, stdout} = await runCli(['run', '-c', command, '--project', 'ctrl-c', '--json'], {
      ...options(),
      interruptWhen: started,
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
    for (const host of fleet().hosts) {
      const pids = pidsIn(join(remoteDir(host.index, 'ctrl-c', json.runId), 'output/child'))
      assert.deepEqual(await aliveAfter(fleet(), host.index, pids, 2000), [], host.address)
    }

    for (const host of fleet().hosts)
      assert.deepEqual(processesWith(`DIRECTOR_RUN_ID=${json.runId}-${host.address}`), [], host.address)
    for (const run of json.hosts) assert.equal(readFileSync(join(run.folder, 'stdout'), 'utf8'), 'started\n')
  })

  test('SIGTERM ends every process of the run on the hosts, writes what was collected and exits 143', async () => {
    const command = 'echo started; nohup sleep 300 >/dev/null 2>&1 & echo $! > "$DIRECTOR_OUTPUT/child"; sleep 301'
    const ready = (): boolean =>
      fleet().hosts.every((host) => {
        const dir = existsSync(join(host.home, 'director/run/sigterm'))
          ? onlyRemoteDir(host.index, 'sigterm')
          : undefined
        const file = dir === undefined ? undefined : join(dir, 'output/child')
        if (dir === undefined || file === undefined || !existsSync(file)) return false
        // The count below sees the run's processes while they live: `sh`, its `sleep` and the nohup one.
        const runId = basename(dirname(dir))
        return (
          readFileSync(file, 'utf8').endsWith('\n') &&
          processesWith(`DIRECTOR_RUN_ID=${runId}-${host.address}`).length >= 3
        )
      })
    const {code, stdout} = await runUntilReady(
      ['run', '-c', command, '--project', 'sigterm', '--json'],
      ready,
      'SIGTERM',
    )
    assert.equal(code, 143)
    const json = JSON.parse(stdout) as RunOnFleetReport
    assert.equal(json.interrupted, true)
    assert.equal(json.counts.interrupted, 4)
    const summary = JSON.parse(readFileSync(join(json.folder, 'summary.json'), 'utf8')) as RunOnFleetReport
    assert.equal(summary.counts.interrupted, 4)
    for (const host of fleet().hosts) {
      const pids = pidsIn(join(remoteDir(host.index, 'sigterm', json.runId), 'output/child'))
      assert.equal(pids.length, 1, host.address)
      assert.deepEqual(await aliveAfter(fleet(), host.index, pids, 2000), [], `nohup child alive on ${host.address}`)
    }

    for (const host of fleet().hosts)
      assert.deepEqual(processesWith(`DIRECTOR_RUN_ID=${json.runId}-${host.address}`), [], host.address)
    for (const run of json.hosts) assert.equal(readFileSync(join(run.folder, 'stdout'), 'utf8'), 'started\n')
  })

  test('two runs of one project at once both keep all their output', async () => {
    // Each run waits (bounded) until the other has started, so both are on the hosts together.
    const side = (me: string, other: string): string[] => [
      'run',
      '-c',
      [
        `echo ${me} > "$DIRECTOR_OUTPUT/${me}.txt"; : > "$HOME/both-${me}"`,
        `i=0; while [ ! -e "$HOME/both-${other}" ] && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done`,
        `echo ${me}-${'$'}i`,
      ].join('\n'),
      '--project',
      'both',
    ]
    const [a, b] = await Promise.all([
      runCliJson<RunOnFleetReport>(side('a', 'b'), options()),
      runCliJson<RunOnFleetReport>(side('b', 'a'), options()),
    ])
    for (const [result, me] of [
      [a, 'a'],
      [b, 'b'],
    ] as const) {
      assert.equal(result.code, 0, result.stderr)
      assert.equal(result.json.hosts.length, 4)
      for (const run of result.json.hosts) {
        assert.deepEqual(readdirSync(join(run.folder, 'files')), [`${me}.txt`], `${me} on ${run.host}`)
        assert.equal(readFileSync(join(run.folder, 'files', `${me}.txt`), 'utf8'), `${me}\n`)
        assert.match(readFileSync(run.stdoutFile, 'utf8'), new RegExp(`^${me}-\\d+\\n$`))
        assert.doesNotMatch(readFileSync(run.stdoutFile, 'utf8'), /-100\n/, 'the other run was never seen')
      }
    }

    assert.notEqual(a.json.runId, b.json.runId)
  })

  test('two inventory names for one host (one shared home): each keeps its own script, folder and output', async () => {
    const knownHosts = join(work, 'twin_known_hosts')
    copyFileSync(fleet().knownHosts, knownHosts)
    const sshConfig = join(work, 'twin_ssh_config')
    writeFileSync(
      sshConfig,
      [
        'Host twin-a twin-b',
        '  HostName 127.0.1.1',
        `  User ${fleet().host(1).user}`,
        `  Port ${fleet().port}`,
        `  IdentityFile ${fleet().identity}`,
        `  UserKnownHostsFile ${knownHosts}`,
        '',
      ].join('\n'),
    )
    const clients = fleet().writeClientsConf(['twin-a', 'twin-b'], 'twins.conf')
    const job = script(
      'twin.sh',
      [
        'echo "$DIRECTOR_RUN_ID" > "$DIRECTOR_OUTPUT/id"; me=$(echo "$DIRECTOR_RUN_ID" | sed "s/.*-//")',
        ': > "$HOME/twin-$1-$me"',
        'i=0; for other in a b; do',
        '  while [ ! -e "$HOME/twin-$1-$other" ] && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done',
        'done',
        'cat "$0" | wc -l; pwd',
      ].join('\n'),
    )
    const {code, json, stderr} = await runCliJson<RunOnFleetReport>(
      ['run', job, 'go', '--clients', clients, '--ssh-config', sshConfig, '--project', 'twins'],
      options(),
    )
    assert.equal(code, 0, stderr)
    const {home} = fleet().host(1)
    const lines = readFileSync(join(work, job), 'utf8').split('\n').length - 1
    for (const run of json.hosts) {
      const dir = join(home, 'director/run/twins', json.runId, run.host)
      assert.equal(readFileSync(join(run.folder, 'files', 'id'), 'utf8'), `${json.runId}-${run.host}\n`)
      assert.equal(readFileSync(run.stdoutFile, 'utf8'), `${lines}\n${dir}\n`, 'the whole script ran, here')
      assert.ok(statSync(join(dir, '.director/twin.sh')).isFile())
    }

    assert.deepEqual(readdirSync(join(home, 'director/run/twins', json.runId)).sort(), ['twin-a', 'twin-b'])
  })

  test('each host keeps only the newest --keep-runs run folders of a project', async () => {
    const runIds: string[] = []
    for (let i = 0; i < 3; i++) {
      const {code, json} = await runCliJson<RunOnFleetReport>(
        ['run', '-c', 'true', '--project', 'pruned', '--keep-runs', '2', '--limit', '127.0.1.4'],
        options(),
      )
      assert.equal(code, 0)
      runIds.push(json.runId)
    }

    const project = join(fleet().host(4).home, 'director/run/pruned')
    assert.deepEqual(readdirSync(project).sort(), runIds.slice(1))
  })

  test('under sshd the command stays in the session sshd made for it; the run folder says the run ended', async () => {
    // Fields 4-6 of /proc/<pid>/stat: parent, process group, session.
    const command = String.raw`read -r _ _ _ ppid pgid sid _ < /proc/$$/stat; echo "$ppid $pgid $sid"`
    const {code, json} = await runCliJson<RunOnFleetReport>(['run', '-c', command, '--project', 'session'], options())
    assert.equal(code, 0)
    for (const [i, host] of fleet().hosts.entries()) {
      const [ppid, pgid, sid] = readFileSync(join(hostDir(json, host.address), 'stdout'), 'utf8')
        .trim()
        .split(' ')
      // Its parent, the run script, leads the session and the group: no setsid was needed.
      assert.ok(ppid !== undefined && ppid === pgid && pgid === sid, `${host.address}: ${ppid} ${pgid} ${sid}`)
      const own = join(remoteDir(i + 1, 'session', json.runId), '.director')
      assert.equal(readFileSync(join(own, 'live'), 'utf8'), 'ended\n')
      assert.equal(readFileSync(join(own, 'pid'), 'utf8'), '')
    }
  })

  test('an --out that cannot be made or written is a one-line usage error, before connecting', async () => {
    for (const out of ['/proc/nope', '/sys/nope']) {
      const {code, stderr, stdout} = await runCli(['run', '-c', 'echo hi', '--out', out, '--project', 'badout'], {
        ...options(),
        timeoutMs: 20_000,
      })
      assert.equal(code, 2, `${out}: ${stderr}`)
      for (const host of fleet().hosts)
        assert.ok(!existsSync(join(host.home, 'director', 'run', 'badout')), `${out}: ${host.address} was contacted`)
      assert.match(
        stderr,
        new RegExp(`^Error: --out ${out}: cannot create ${out} \\(.+\\): give --out a folder you can write\\n$`),
      )
      assert.equal(stdout, '')
    }
  })

  test("without --stream or --gather, the first lines of each failed host's stderr follow the table", async () => {
    const command = 'echo out; case "$SSH_CONNECTION" in *127.0.1.2*) seq 1 9 >&2; exit 4;; *) echo fine >&2;; esac'
    const {code, stdout} = await runCli(['run', '-c', command, '--project', 'stderr'], options())
    assert.equal(code, 1)
    const tail = stdout.slice(stdout.indexOf('output: '))
    const folder = tail.split('\n')[0]?.slice('output: '.length) ?? ''
    assert.equal(
      tail.split('\n').slice(1).join('\n'),
      [
        'stderr of 127.0.1.2 (exit 4):',
        ...['1', '2', '3', '4', '5'].map((line) => `  ${line}`),
        `  ... the rest is in ${join(folder, '127.0.1.2', 'stderr')}`,
        "see every host's stdout and stderr, identical ones folded, with --gather",
        '',
      ].join('\n'),
    )
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
    const withStderr = await runCli(['run', '-c', `${command}; echo oops >&2`, '--gather'], options())
    assert.equal(withStderr.code, 0)
    assert.ok(
      withStderr.stdout.startsWith(
        [
          rule,
          '127.0.1.[1-2,4] (3)',
          rule,
          'same',
          rule,
          '127.0.1.3 (1)',
          rule,
          'same',
          'odd',
          rule,
          '127.0.1.[1-4] (4) stderr',
          rule,
          'oops',
          '',
        ].join('\n'),
      ),
      withStderr.stdout,
    )
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

  /** Runs the CLI and sends it `signal` once `ready` says so (polled every 50 ms, for at most 60 s). */
  async function runUntilReady(args: string[], ready: () => boolean, signal: NodeJS.Signals) {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), ...args], {
      cwd: work,
      env: {...process.env, NO_COLOR: '1', ...fleet().env()},
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    })
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.resume()
    const poll = setInterval(() => {
      if (ready()) {
        clearInterval(poll)
        child.kill(signal)
      }
    }, 50)
    const code = await new Promise<null | number>((resolve) => {
      child.on('close', resolve)
    })
    clearInterval(poll)
    return {code, stdout}
  }

  test('usage errors exit 2 and run nothing', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['run', 'no-such.sh'], /^Error: no-such\.sh: no such script \(nothing was run\)$/m],
      [['run', 'job.sh', '-c', 'true'], /not both/],
      [['run'], /nothing to run/],
      [['run', '--rerun', 'failed', '--project', 'never'], /no earlier run of project "never"/],
      [['run', '-c', 'true', '--project', '../x'], /invalid project name/],
    ]
    for (const [args, message] of cases) {
      const {code, stderr} = await runCli([...args, '--out', join(work, 'usage')], options())
      assert.equal(code, 2, `${args.join(' ')}: ${stderr}`)
      assert.match(stderr, message)
    }

    assert.equal(existsSync(join(work, 'usage')), false, 'nothing was written')
  })
})
