import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {promisify} from 'node:util'

import {type Fleet, startFleet} from '../../fixtures/fleet/fleet.js'
import {repoRoot} from '../helpers/paths.js'

const run = promisify(execFile)

/** What `npm pack --json` says of the tarball. */
interface PackResult {
  filename: string
  files: Array<{path: string}>
}

/** A script that uses director as a user's project would: imported by name, typed. */
const USE_TS = `import {listTasks, loadInventory, run, startTasks, status, stopTasks, UsageError, type RunOnFleetReport} from 'director'

const inventory = loadInventory({file: process.env.CLIENTS ?? '', sshConfig: process.env.SSH_CONFIG ?? ''})
const up = await status({inventory, icmp: false})
const online = up.hosts.filter((host) => host.on).map((host) => host.host)
const report: RunOnFleetReport = await run({
  inventory: loadInventory({file: process.env.CLIENTS ?? '', sshConfig: process.env.SSH_CONFIG ?? '', limit: online.join(',')}),
  command: 'printf %s "$HOME" > "$DIRECTOR_OUTPUT/home.txt"',
  project: 'pkg',
  outDir: process.env.OUT ?? '',
})
const stateDir = process.env.STATE ?? ''
const started = await startTasks({inventory, command: 'exec sleep 300', project: 'lib', stateDir})
const running = await listTasks({inventory, project: 'lib', stateDir})
const stopped = await stopTasks({inventory, select: {kind: 'project', project: 'lib'}, grace: 1, stateDir})
let usage = ''
try {
  loadInventory({text: '[::1'})
} catch (error) {
  usage = error instanceof UsageError ? error.message : String(error)
}
const tasks = {
  started: started.started.length,
  running: running.counts.running,
  stopped: stopped.tasks.map((task) => task.outcome),
  pids: started.started.map((task) => [task.host, task.pid]),
}
console.log(JSON.stringify({online, ok: report.counts.ok, runId: report.runId, folder: report.folder, usage, tasks}))
`

describe('the package: packed, installed and imported by name', () => {
  let fleet: Fleet
  let work: string
  let pack: PackResult

  before(async () => {
    fleet = await startFleet({hosts: 2})
    work = mkdtempSync(join(tmpdir(), 'director-package-'))
    const {stdout} = await run('npm', ['pack', '--json', '--pack-destination', work], {cwd: repoRoot})
    const [result] = JSON.parse(stdout) as PackResult[]
    if (result === undefined) throw new Error(`npm pack said nothing: ${stdout}`)
    pack = result
  })

  after(async () => {
    await fleet?.down()
    rmSync(work, {recursive: true, force: true})
  })

  it('holds what a user needs and no tests, fixtures or benches', () => {
    const files = pack.files.map((file) => file.path)
    for (const needed of [
      'package.json',
      'README.md',
      'oclif.manifest.json',
      'bin/run.js',
      'config/clients.conf',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/commands/run.js',
    ]) {
      assert.ok(files.includes(needed), `${needed} is not in the package`)
    }

    const extra = files.filter((path) => !/^(bin|config|dist\/src)\/|^[^/]+$/.test(path))
    assert.deepEqual(extra, [])
  })

  it('installs into another project, type-checks there, and runs status and run against the fleet', async () => {
    const project = join(work, 'user-project')
    const out = join(work, 'out')
    await run('mkdir', ['-p', project])
    writeFileSync(join(project, 'package.json'), JSON.stringify({name: 'user-project', private: true, type: 'module'}))
    await run(
      'npm',
      ['install', join(work, pack.filename), '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'],
      {cwd: project, timeout: 120_000},
    )
    writeFileSync(join(project, 'use.ts'), USE_TS)
    // The README's example must compile too (it is type-checked here, not run).
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
    const example = /## Use it from TypeScript\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1]
    assert.ok(example, 'no TypeScript example in the README')
    writeFileSync(join(project, 'readme-example.ts'), example)
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: true,
          typeRoots: [join(repoRoot, 'node_modules', '@types')],
          types: ['node'],
        },
        files: ['use.ts', 'readme-example.ts'],
      }),
    )
    // The repository's own compiler checks the user's script against the package's declarations.
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc')
    await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--outDir', 'built'], {cwd: project}).catch(
      (error: {stdout?: string}) => {
        throw new Error(`the user's script does not type-check: ${error.stdout ?? String(error)}`)
      },
    )
    const {stdout} = await run(process.execPath, [join(project, 'built', 'use.js')], {
      cwd: project,
      env: {
        ...process.env,
        CLIENTS: fleet.clientsConf,
        SSH_CONFIG: fleet.sshConfig,
        OUT: out,
        STATE: join(work, 'state'),
      },
      timeout: 60_000,
    })
    const result = JSON.parse(stdout) as {
      online: string[]
      ok: number
      runId: string
      folder: string
      usage: string
      tasks: {started: number; running: number; stopped: string[]; pids: Array<[string, number]>}
    }
    assert.deepEqual(result.online, ['127.0.1.1', '127.0.1.2'])
    assert.equal(result.ok, 2)
    for (const host of fleet.hosts) {
      assert.equal(readFileSync(join(result.folder, host.address, 'files', 'home.txt'), 'utf8'), host.home)
      assert.ok(existsSync(join(host.home, 'director', 'run', 'pkg', result.runId)), `no run folder on ${host.address}`)
    }

    assert.match(result.usage, /^<inventory text>:1: unclosed "\[" in "\[::1"/)
    // A task per host was started, listed running and stopped; none is alive on its host now.
    assert.deepEqual([result.tasks.started, result.tasks.running, result.tasks.stopped], [2, 2, ['stopped', 'stopped']])
    for (const [host, pid] of result.tasks.pids) {
      const index = fleet.hosts.find((h) => h.address === host)?.index ?? assert.fail(host)
      assert.equal(fleet.isAliveOn(index, pid), false, `task ${pid} still alive on ${host}`)
    }
  })
})
