import assert from 'node:assert/strict'
// Proves the properties of the test fleet (fixtures/fleet) with the real OpenSSH clients: separate
// homes, stop/start of one host, killed sessions, the fault hosts, parallel fleets and a clean down().
import {spawn} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import {connect, createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, test} from 'node:test'
import {fileURLToPath} from 'node:url'

import {type Fleet, type HostProcess, startFleet} from '../../fixtures/fleet/fleet.js'
import {runCliJson} from '../helpers/cli.js'
import {repoRoot} from '../helpers/paths.js'
import {isAlive} from '../helpers/processes.js'
import {waitFor} from '../helpers/wait.js'

interface RunResult {
  code: null | number
  stdout: string
  stderr: string
  ms: number
}

/** Runs a command to its end, killed after `timeoutMs` so no test can hang. */
async function run(
  command: string,
  args: string[],
  timeoutMs = 15_000,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunResult> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {env, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.once('error', reject)
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({code, stderr, stdout, ms: Date.now() - started})
    })
  })
}

async function ssh(fleet: Fleet, address: string, command: string, timeoutMs?: number): Promise<RunResult> {
  return run('ssh', ['-F', fleet.sshConfig, address, command], timeoutMs)
}

type ConnectOutcome = {code: string; kind: 'error'} | {kind: 'accepted'; received: number}

/** Connects, then reports after `listenMs` how many bytes arrived, or the connect error. */
async function probeTcp(address: string, port: number, listenMs: number): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    let received = 0
    const socket = connect({host: address, port}, () => {
      setTimeout(() => {
        socket.destroy()
        resolve({kind: 'accepted', received})
      }, listenMs)
    })
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length
    })
    socket.on('error', (error: NodeJS.ErrnoException) => resolve({code: error.code ?? error.message, kind: 'error'}))
  })
}

describe('a fleet of 4 hosts with fault hosts', () => {
  let current: Fleet | undefined
  const fleet = (): Fleet => {
    assert.ok(current, 'the fleet did not start')
    return current
  }

  before(async () => {
    current = await startFleet({faults: true, hosts: 4})
  })

  after(async () => {
    await current?.down()
  })

  test('writes the client files director reads', () => {
    const f = fleet()
    assert.deepEqual(f.env(), {DIRECTOR_CLIENTS: f.clientsConf, DIRECTOR_SSH_CONFIG: f.sshConfig})
    assert.equal(statSync(f.identity).mode.toString(8).slice(-3), '600')
    const clients = readFileSync(f.clientsConf, 'utf8').split('\n')
    assert.match(clients[0] ?? '', /^# /)
    assert.deepEqual(clients.slice(1, -1), ['127.0.1.1', '127.0.1.2', '127.0.1.3', '127.0.1.4'])
    const known = readFileSync(f.knownHosts, 'utf8')
    for (const host of f.hosts) {
      const key = readFileSync(`${host.hostKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')
      assert.ok(known.includes(`[${host.address}]:${f.port} ${key}\n`), `known_hosts line for ${host.address}`)
    }

    const config = readFileSync(f.sshConfig, 'utf8')
    for (const line of ['Host 127.0.1.* 127.0.2.*', `Port ${f.port}`, `IdentityFile ${f.identity}`, 'BatchMode yes'])
      assert.ok(config.includes(line), line)
    const state = JSON.parse(readFileSync(join(f.dir, 'fleet.json'), 'utf8')) as {port: number}
    assert.equal(state.port, f.port)
    assert.equal(f.faultsClientsConf, join(f.dir, 'clients-faults.conf'))
    const faults = readFileSync(f.faultsClientsConf, 'utf8').split('\n')
    assert.match(faults[0] ?? '', /^# /)
    assert.deepEqual(
      faults.slice(1, -1).map((line) => line.replace(/\s*#.*$/, '')),
      [
        '[fleet]',
        '127.0.1.1',
        '127.0.1.2',
        '127.0.1.3',
        '127.0.1.4',
        '[faults]',
        '127.0.2.1',
        '127.0.2.2',
        '127.0.2.3',
        '127.0.2.4',
      ],
    )
    const mixed = f.writeClientsConf(['127.0.1.1', '127.0.2.1'], 'mixed.conf')
    assert.equal(mixed, join(f.dir, 'mixed.conf'))
    assert.deepEqual(readFileSync(mixed, 'utf8').split('\n').slice(1), ['127.0.1.1', '127.0.2.1', ''])
  })

  test('director reads the fault inventory: @faults are the fault hosts, @fleet the others', async () => {
    const f = fleet()
    const clients = f.faultsClientsConf ?? assert.fail('no fault inventory')
    const names = async (limit: string): Promise<string[]> => {
      const {code, json, stderr} = await runCliJson<{hosts: Array<{name: string}>}>(
        ['hosts', '--clients', clients, '--limit', limit],
        {env: f.env()},
      )
      assert.equal(code, 0, stderr)
      return json.hosts.map((host) => host.name)
    }

    assert.deepEqual(
      await names('@faults'),
      Object.values(f.faults ?? {}).map((fault) => fault.address),
    )
    assert.deepEqual(
      await names('@fleet'),
      f.hosts.map((host) => host.address),
    )
  })

  test('each host answers over real ssh with its own HOME', async () => {
    const f = fleet()
    const results = await Promise.all(f.hosts.map((host) => ssh(f, host.address, 'echo $HOME; pwd; hostname')))
    for (const [i, result] of results.entries()) {
      const host = f.hosts[i]
      assert.equal(result.code, 0, result.stderr)
      const [home, cwd, hostname] = result.stdout.trim().split('\n')
      assert.equal(home, host?.home)
      assert.equal(cwd, host?.home)
      assert.ok(hostname)
    }

    assert.equal(new Set(results.map((result) => result.stdout.split('\n')[0])).size, 4)
  })

  test('each host is a machine of its own: its user, host name, processes and /tmp', async () => {
    const f = fleet()
    const script = 'id -un; hostname; echo $$; ps -e -o pid= | wc -l; echo mark > /tmp/mark; test -d "$FLEET"; echo $?'
    const results = await Promise.all(f.hosts.map((host) => ssh(f, host.address, `FLEET=${f.dir}; ${script}`)))
    for (const [i, result] of results.entries()) {
      const host = f.host(i + 1)
      assert.equal(result.code, 0, result.stderr)
      const [user, hostname, pid, seen, fleetVisible] = result.stdout.trim().split('\n')
      assert.equal(user, host.user)
      assert.match(user ?? '', /^dfl[\da-f]{5}h\d$/)
      assert.equal(hostname, `fleet-h${i + 1}`)
      assert.equal(fleetVisible, '0', 'the fleet dir is visible on the host')
      // init, sshd, its sleep, the session's sshd processes, bash and ps: a handful, never this machine's hundreds.
      assert.ok(Number(seen) < 15, `host ${i + 1} sees ${seen} processes`)
      assert.ok(Number(pid) > 1 && Number(pid) < 1000, `pid on the host: ${pid}`)
      assert.equal(readFileSync(join(host.tmp, 'mark'), 'utf8'), 'mark\n', "the host's /tmp is its own folder")
      assert.equal(f.processesOn(i + 1)[0]?.hostPid, 1, 'the init is PID 1 there')
      assert.match(f.processesOn(i + 1)[0]?.command ?? '', /init\.sh$/)
    }

    assert.equal(existsSync('/tmp/mark'), false, "nothing landed in this machine's /tmp")
    assert.equal(new Set(f.hosts.map((host) => host.user)).size, 4)
  })

  test('a host pid is found from outside (outerPid, hostOf, isAliveOn), and its init reaps orphans', async () => {
    const f = fleet()
    const started = await ssh(f, '127.0.1.2', 'sleep 30 >/dev/null 2>&1 & echo $!')
    assert.equal(started.code, 0, started.stderr)
    const hostPid = Number(started.stdout.trim())
    const outer = f.outerPid(2, hostPid) ?? assert.fail(`no pid ${hostPid} on host 2`)
    try {
      assert.equal(f.hostOf(outer), 2)
      assert.ok(f.isAliveOn(2, hostPid))
      assert.equal(f.hostOf(process.pid), undefined, 'the test runs on no host')
      const sleeper = (): HostProcess | undefined => f.processesOn(2).find((p) => p.pid === outer)
      // The forked shell execs the sleep a moment after $! is printed: wait (at most 2 s) for it.
      assert.ok(await waitFor(() => sleeper()?.command === 'sleep 30', 2000, 20), sleeper()?.command)
      assert.ok(sleeper()?.environ.includes(`USER=${f.host(2).user}`), 'its environment is readable')
      assert.ok(!f.processesOn(1).some((p) => p.pid === outer), 'host 1 does not see it')
    } finally {
      process.kill(outer, 'SIGKILL')
    }

    assert.ok(await waitFor(() => !f.isAliveOn(2, hostPid), 5000, 20), 'the sleep ended')
    // Its parent (the session's shell) ended first: PID 1 adopted it and must reap it, as init does.
    const zombies = await ssh(f, '127.0.1.2', 'ps -e -o stat= | grep -c "^Z" || true')
    assert.equal(zombies.stdout.trim(), '0')
  })

  test('~/.fleet-bin comes first on PATH, for the command and for sh -c under it', async () => {
    const f = fleet()
    const bin = join(f.host(1).home, '.fleet-bin')
    mkdirSync(bin, {recursive: true})
    writeFileSync(join(bin, 'fleet-hello'), '#!/bin/sh\necho hello from fleet-bin\n', {mode: 0o755})
    try {
      const result = await ssh(f, '127.0.1.1', 'fleet-hello; sh -c fleet-hello')
      assert.equal(result.code, 0, result.stderr)
      assert.equal(result.stdout, 'hello from fleet-bin\nhello from fleet-bin\n')
      assert.equal((await ssh(f, '127.0.1.2', 'command -v fleet-hello || echo none')).stdout, 'none\n')
    } finally {
      rmSync(bin, {force: true, recursive: true})
    }
  })

  test('a file written on host 1 over ssh and over sftp lands in host 1 home only', async () => {
    const f = fleet()
    const written = await ssh(f, '127.0.1.1', 'echo hi > x; echo tilde > ~/y')
    assert.equal(written.code, 0, written.stderr)
    const local = join(f.dir, 'local-upload.txt')
    writeFileSync(local, 'over sftp\n')
    const batch = join(f.dir, 'sftp-batch')
    writeFileSync(batch, `put ${local} up.txt\nmkdir d\nput ${local} d/z\n`)
    const sftp = await run('sftp', ['-F', f.sshConfig, '-b', batch, '127.0.1.1'])
    assert.equal(sftp.code, 0, sftp.stderr)
    const [first, ...others] = f.hosts
    assert.ok(first)
    assert.equal(readFileSync(join(first.home, 'x'), 'utf8'), 'hi\n')
    assert.equal(readFileSync(join(first.home, 'y'), 'utf8'), 'tilde\n')
    assert.equal(readFileSync(join(first.home, 'up.txt'), 'utf8'), 'over sftp\n')
    assert.equal(readFileSync(join(first.home, 'd', 'z'), 'utf8'), 'over sftp\n')
    for (const host of others)
      for (const name of ['x', 'y', 'up.txt', 'd']) assert.ok(!existsSync(join(host.home, name)))
  })

  test('stopHost refuses new connections, keeps open sessions, and startHost brings the host back', async () => {
    const f = fleet()
    // The session says it is open, then waits (at most 10 s) for a file the test writes once the
    // listener is gone: it is certainly open while its host stops.
    const go = join(f.host(2).home, 'go')
    let said = ''
    const script = 'echo open; for i in $(seq 200); do [ -e go ] && break; sleep 0.05; done; echo survived'
    const child = spawn('ssh', ['-F', f.sshConfig, '127.0.1.2', script], {stdio: ['ignore', 'pipe', 'pipe']})
    child.stdout.on('data', (chunk: Buffer) => {
      said += chunk.toString()
    })
    const session = new Promise<null | number>((resolve) => {
      child.once('close', resolve)
    })
    try {
      assert.ok(await waitFor(() => said === 'open\n', 10_000, 20), 'the session opened within 10 s')
      await f.stopHost(2)
      assert.equal(f.isHostUp(2), false)
      assert.deepEqual(await probeTcp('127.0.1.2', f.port, 0), {code: 'ECONNREFUSED', kind: 'error'})
      const down = await ssh(f, '127.0.1.2', 'true')
      assert.equal(down.code, 255)
      assert.match(down.stderr, /Connection refused/)
      assert.equal(said, 'open\n', 'the session was still open after its host stopped')
      writeFileSync(go, '')
      assert.equal(await session, 0)
      assert.equal(said, 'open\nsurvived\n')
    } finally {
      child.kill('SIGKILL')
      rmSync(go, {force: true})
    }

    await f.startHost(2)
    const again = await ssh(f, '127.0.1.2', 'echo back')
    assert.equal(again.code, 0, again.stderr)
    assert.equal(again.stdout, 'back\n')
  })

  test('stopHost with killSessions ends an ssh session in progress', async () => {
    const f = fleet()
    const child = spawn('ssh', ['-F', f.sshConfig, '127.0.1.3', 'echo $$; exec sleep 30'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const exited = new Promise<null | number>((resolve) => {
      child.once('close', resolve)
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    try {
      const remotePid = await new Promise<number>((resolve, reject) => {
        child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())))
        child.once('close', () => reject(new Error('ssh ended before the session started')))
      })
      // $$ is the sleep's pid inside host 3: on this machine it has another number.
      const outer = f.outerPid(3, remotePid) ?? assert.fail(`no pid ${remotePid} on host 3`)
      assert.ok(isAlive(outer))
      // The shell printed its pid, then execs the sleep: wait (at most 2 s) for that to show.
      const commandOf = (): string => f.processesOn(3).find((p) => p.hostPid === remotePid)?.command ?? ''
      assert.ok(await waitFor(() => commandOf() === 'sleep 30', 2000, 20), `pid ${remotePid} is ${commandOf()}`)
      const started = Date.now()
      await f.stopHost(3, {killSessions: true})
      assert.equal(await exited, 255)
      assert.ok(Date.now() - started < 5000, 'the ssh client saw its session end within 5 s')
      assert.equal(isAlive(outer), false, 'the remote sleep was killed')
      assert.ok(!f.processesOn(3).some((p) => p.command.startsWith('sshd')), 'no sshd process is left on host 3')
    } finally {
      clearTimeout(timer)
      child.kill('SIGKILL')
      await f.startHost(3)
    }

    assert.equal((await ssh(f, '127.0.1.3', 'true')).code, 0)
  })

  test('crashHost kills everything on the host, detached processes too; startHost boots it afresh', async () => {
    const f = fleet()
    const detached = await ssh(f, '127.0.1.4', 'setsid sleep 30 >/dev/null 2>&1 < /dev/null & echo $!')
    assert.equal(detached.code, 0, detached.stderr)
    const outer = f.outerPid(4, Number(detached.stdout.trim())) ?? assert.fail('no detached sleep on host 4')
    await f.stopHost(4, {killSessions: true})
    assert.ok(isAlive(outer), 'a detached process outlives the sshd and its sessions')
    await f.crashHost(4)
    assert.equal(isAlive(outer), false, 'it dies with the machine')
    assert.deepEqual(f.processesOn(4), [])
    assert.equal(f.isHostUp(4), false)
    await f.startHost(4)
    const again = await ssh(f, '127.0.1.4', 'hostname; ps -e -o pid= | wc -l')
    assert.equal(again.code, 0, again.stderr)
    assert.match(again.stdout, /^fleet-h4\n\s*\d+\n$/)
  })

  test('refused: nothing listens', async () => {
    const {refused} = fleet().faults ?? assert.fail('no faults')
    assert.deepEqual(await probeTcp(refused.address, refused.port, 0), {code: 'ECONNREFUSED', kind: 'error'})
  })

  test('silent: accepts TCP and sends nothing for 1 s', async () => {
    const {silent} = fleet().faults ?? assert.fail('no faults')
    assert.deepEqual(await probeTcp(silent.address, silent.port, 1000), {kind: 'accepted', received: 0})
  })

  test('changedKey: ssh refuses a host whose key changed', async () => {
    const f = fleet()
    const {changedKey} = f.faults ?? assert.fail('no faults')
    const result = await ssh(f, changedKey.address, 'true')
    assert.equal(result.code, 255)
    assert.match(result.stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED/)
  })

  test('rejectedKey: the host does not accept the fleet key', async () => {
    const f = fleet()
    const {rejectedKey} = f.faults ?? assert.fail('no faults')
    const result = await ssh(f, rejectedKey.address, 'true')
    assert.equal(result.code, 255)
    assert.match(result.stderr, /Permission denied \(publickey\)/)
  })

  test('mountTinyDisk makes a disk that fills up', async () => {
    const f = fleet()
    const mounted = await f.mountTinyDisk(4, 'small', 64)
    assert.equal(mounted, join(f.hosts[3]?.home ?? '', 'small'))
    const result = await ssh(f, '127.0.1.4', 'head -c 200000 /dev/zero > small/big')
    assert.notEqual(result.code, 0)
    assert.match(result.stderr, /No space left on device/)
  })
})

describe('fleet lifecycle', () => {
  test('the CLI starts a fleet that outlives it, refuses a second one, and stops it', async () => {
    const cli = fileURLToPath(new URL('../../fixtures/fleet/cli.js', import.meta.url))
    const dir = join(tmpdir(), `director-fleet-cli-${process.pid}`)
    const fleetCli = async (...args: string[]): Promise<RunResult> =>
      run(process.execPath, [cli, ...args], 30_000, {...process.env, DIRECTOR_FLEET_DIR: dir})
    try {
      const shared = await fleetCli('up', '3', '--shared-home')
      assert.equal(shared.code, 0, shared.stderr)
      assert.match(shared.stdout, new RegExp(`one shared home ${dir}/shared/home$`, 'm'))
      const homes = await Promise.all(
        ['127.0.1.1', '127.0.1.3'].map((address) => run('ssh', ['-F', join(dir, 'ssh_config'), address, 'echo $HOME'])),
      )
      assert.deepEqual(
        homes.map((result) => result.stdout),
        [`${dir}/shared/home\n`, `${dir}/shared/home\n`],
      )
      assert.equal((await fleetCli('down')).code, 0)
      const up = await fleetCli('up', '2', '--faults')
      assert.equal(up.code, 0, up.stderr)
      assert.match(up.stdout, new RegExp(`^#   director status --clients ${dir}/clients-faults.conf$`, 'm'))
      assert.match(
        up.stdout,
        new RegExp(`^#   director status --clients ${dir}/clients-faults.conf --limit @faults$`, 'm'),
      )
      assert.ok(existsSync(join(dir, 'clients-faults.conf')))
      assert.match(up.stdout, new RegExp(`^export DIRECTOR_CLIENTS=${dir}/clients.conf$`, 'm'))
      assert.match(up.stdout, new RegExp(`^export DIRECTOR_SSH_CONFIG=${dir}/ssh_config$`, 'm'))
      const status = await fleetCli('status')
      assert.equal(status.code, 0)
      assert.match(status.stdout, /^127\.0\.1\.2\tup$/m)
      const result = await run('ssh', ['-F', join(dir, 'ssh_config'), '127.0.1.2', 'echo $HOME'])
      assert.equal(result.stdout, `${dir}/hosts/2/home\n`)
      const again = await fleetCli('up', '2')
      assert.equal(again.code, 2)
      assert.match(again.stderr, /already up/)
      const down = await fleetCli('down')
      assert.equal(down.code, 0, down.stderr)
      assert.equal(existsSync(dir), false)
    } finally {
      await fleetCli('down')
    }
  })

  test('two fleets started at once get different ports, both work, and down() leaves nothing', async () => {
    const fleets = await Promise.allSettled([startFleet({hosts: 2}), startFleet({hosts: 2})])
    const started = fleets.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
    try {
      for (const result of fleets) if (result.status === 'rejected') throw result.reason
      const [a, b] = started
      assert.ok(a && b)
      assert.notEqual(a.port, b.port)
      for (const f of started) {
        const result = await ssh(f, '127.0.1.2', 'echo $HOME')
        assert.equal(result.code, 0, result.stderr)
        assert.equal(result.stdout.trim(), f.hosts[1]?.home)
      }

      assert.notEqual(a.host(1).user, b.host(1).user, 'each fleet has users of its own')
      for (const f of started) {
        const pids = f.recordedPids()
        assert.equal(pids.length, 2)
        await f.down()
        await f.down()
        for (const pid of pids) assert.equal(isAlive(pid), false, `pid ${pid} still alive`)
        assert.equal(existsSync(f.dir), false)
        const passwd = readFileSync('/etc/passwd', 'utf8')
        for (const host of f.hosts) assert.ok(!passwd.includes(`\n${host.user}:`), `user ${host.user} removed`)
      }
    } finally {
      await Promise.all(started.map((f) => f.down()))
    }
  })

  test('down() also stops the fault processes and unmounts tiny disks', async () => {
    const f = await startFleet({faults: true, hosts: 1})
    try {
      await f.mountTinyDisk(1, 'a/b', 16)
      const pids = f.recordedPids()
      assert.equal(pids.length, 4)
      await f.down()
      for (const pid of pids) assert.equal(isAlive(pid), false, `pid ${pid} still alive`)
      assert.equal(existsSync(f.dir), false)
      assert.ok(!readFileSync('/proc/mounts', 'utf8').includes(f.dir))
    } finally {
      await f.down()
    }
  })

  test('a taken port fails start-up with a one-line message and leaves nothing behind', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => {
      server.listen({host: '127.0.1.1', port: 0}, resolve)
    })
    const address = server.address()
    const port = typeof address === 'object' && address ? address.port : 0
    const dir = join(tmpdir(), `director-fleet-taken-${process.pid}`)
    try {
      await assert.rejects(startFleet({dir, hosts: 1, port}), (error: Error) => {
        assert.match(error.message, new RegExp(`port ${port} is taken`))
        assert.equal(error.message.includes('\n'), false)
        return true
      })
      assert.equal(existsSync(dir), false)
      await assert.rejects(startFleet({hosts: 129}), /hosts must be an integer from 1 to 128/)
    } finally {
      server.close()
    }
  })
})

describe('a fleet with a shared home and a chatty host', () => {
  let current: Fleet | undefined
  const fleet = (): Fleet => {
    assert.ok(current, 'the fleet did not start')
    return current
  }

  before(async () => {
    current = await startFleet({chattyHost: 2, hosts: 3, sharedHome: true})
  })

  after(async () => {
    await current?.down()
  })

  test('one user, one home, one sshd on every address: ~ on host 1 IS ~ on host 3', async () => {
    const f = fleet()
    assert.equal(f.sharedHome, true)
    assert.deepEqual(
      f.hosts.map((host) => host.address),
      ['127.0.1.1', '127.0.1.2', '127.0.1.3'],
    )
    assert.equal(new Set(f.hosts.map((host) => host.home)).size, 1)
    assert.equal(new Set(f.hosts.map((host) => host.user)).size, 1)
    const written = await ssh(f, '127.0.1.1', 'echo from-1 > shared.txt')
    assert.equal(written.code, 0, written.stderr)
    const read = await ssh(f, '127.0.1.3', 'id -un; echo $HOME; cat shared.txt')
    assert.equal(read.stdout.split('\n').slice(-4).join('\n'), `${f.host(3).user}\n${f.host(1).home}\nfrom-1\n`)
    assert.equal(f.runningPids().length, 2, 'one init and one sshd listener')
    assert.equal(
      readFileSync(f.clientsConf, 'utf8').split('\n').slice(1, -1).join(' '),
      '127.0.1.1 127.0.1.2 127.0.1.3',
    )
  })

  test('the chatty rc speaks on stdout and stderr before every command, sftp stays clean', async () => {
    const f = fleet()
    const result = await ssh(f, '127.0.1.2', 'echo ok')
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /^Welcome to .* chatty rc on stdout\nok\n$/)
    assert.match(result.stderr, /chatty rc of .* on stderr/)
    const local = join(f.dir, 'up.txt')
    writeFileSync(local, 'over sftp\n')
    const batch = join(f.dir, 'sftp-batch')
    writeFileSync(batch, `put ${local} up.txt\n`)
    const sftp = await run('sftp', ['-F', f.sshConfig, '-b', batch, '127.0.1.2'])
    assert.equal(sftp.code, 0, sftp.stderr)
    assert.equal(readFileSync(join(f.host(2).home, 'up.txt'), 'utf8'), 'over sftp\n')
  })
})

describe('npm run fleet builds only a stale build', () => {
  test('fresh when oclif.manifest.json is newer than every source file and folder; stale otherwise', async () => {
    const root = mkdtempSync(join(tmpdir(), 'director-stale-'))
    const check = async (): Promise<null | number> =>
      (await run(process.execPath, [join(repoRoot, 'fixtures', 'fleet', 'build-if-stale.js'), '--check', root])).code
    const at = (path: string, seconds: number): void => utimesSync(path, seconds, seconds)
    try {
      const source = join(root, 'src', 'a.ts')
      mkdirSync(join(root, 'src'))
      mkdirSync(join(root, 'test'))
      writeFileSync(source, '')
      writeFileSync(join(root, 'test', 'b.ts'), '')
      assert.equal(await check(), 1, 'never built')
      writeFileSync(join(root, 'oclif.manifest.json'), '{}')
      for (const path of [source, join(root, 'src'), join(root, 'test', 'b.ts'), join(root, 'test')]) at(path, 1000)
      at(join(root, 'oclif.manifest.json'), 2000)
      assert.equal(await check(), 0, 'built after every change')
      at(source, 3000)
      assert.equal(await check(), 1, 'a source changed after the build')
      at(source, 1000)
      rmSync(join(root, 'test', 'b.ts'))
      assert.equal(await check(), 1, 'a source was deleted after the build')
    } finally {
      rmSync(root, {recursive: true, force: true})
    }
  })
})
