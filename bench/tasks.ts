// `task list` over 64 fleet hosts running 4 tasks each (median wall of 5), and the time from a
// task's death to its replacement under `keep 4 --interval 1`.
// Run alone with `node dist/bench/tasks.js`, or with the others by `npm run bench`.
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {TaskListReport} from '../src/core/tasks/types.js'

import {startFleet} from '../fixtures/fleet/fleet.js'
import {killLeftoverTasks, waitFor} from '../test/helpers/tasks.js'

const HOSTS = 64
const RUNS = 5
const director = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

function cli(args: string[], env: NodeJS.ProcessEnv): {ms: number; stdout: string; code: null | number} {
  const started = performance.now()
  const result = spawnSync(process.execPath, [director, ...args], {env, encoding: 'utf8', timeout: 120_000})
  return {ms: performance.now() - started, stdout: result.stdout, code: result.status}
}

export async function benchTasks(): Promise<string[]> {
  const fleet = await startFleet({hosts: HOSTS})
  const stateDir = mkdtempSync(join(tmpdir(), 'director-bench-tasks-'))
  const env = {...process.env, ...fleet.env(), NO_COLOR: '1'}
  const state = ['--state-dir', stateDir, '-f', '64']
  try {
    cli(['task', 'start', '-c', 'sleep 600', '--count', String(HOSTS * 4), '--project', 'bench', ...state], env)
    const walls: number[] = []
    for (let i = 0; i < RUNS; i++) {
      const run = cli(['task', 'list', '--project', 'bench', '--json', ...state], env)
      const report = JSON.parse(run.stdout) as TaskListReport
      if (report.counts.running !== HOSTS * 4)
        throw new Error(`expected ${HOSTS * 4} running: ${run.stdout.slice(0, 300)}`)
      walls.push(run.ms)
    }

    cli(['task', 'stop', '--project', 'bench', '--grace', '1', ...state], env)
    const keep = spawn(
      process.execPath,
      [director, 'keep', '4', '-c', 'sleep 600', '--project', 'kb', '--interval', '1', ...state],
      {
        env,
        stdio: 'ignore',
      },
    )
    const log = join(stateDir, 'projects', 'kb', 'keep.log')
    const starts = (): number => (existsSync(log) ? (readFileSync(log, 'utf8').match(/ start t-/g)?.length ?? 0) : 0)
    await waitFor(() => starts() >= 4, 30_000)
    const list = JSON.parse(cli(['task', 'list', '--project', 'kb', '--json', ...state], env).stdout) as TaskListReport
    const victim = list.tasks.find((t) => t.state === 'running')
    const killedAt = performance.now()
    // Its pid is the host's (each host has its own pid namespace): kill it by its pid here.
    const index = fleet.hosts.find((host) => host.address === victim?.host)?.index
    const outer = index === undefined || !victim?.pid ? undefined : fleet.outerPid(index, victim.pid)
    if (outer !== undefined) process.kill(outer, 'SIGKILL')
    await waitFor(() => starts() >= 5, 30_000, 20)
    const replacementMs = performance.now() - killedAt
    // keep ends its cycle first: stopping the project before it exits would race a last start.
    const ended = new Promise((resolve) => {
      keep.once('close', resolve)
    })
    keep.kill('SIGTERM')
    await ended
    cli(['task', 'stop', '--project', 'kb', '--grace', '1', ...state], env)
    const sorted = [...walls].sort((a, b) => a - b)
    return [
      `task list, ${HOSTS} hosts x 4 tasks: median ${Math.round(sorted[Math.floor(RUNS / 2)] ?? 0)} ms (runs: ${walls.map((ms) => Math.round(ms)).join(', ')})`,
      `keep 4 --interval 1: task death to replacement started ${Math.round(replacementMs)} ms`,
    ]
  } finally {
    killLeftoverTasks(
      stateDir,
      fleet.hosts.map((host) => host.home),
      fleet,
    )
    await fleet.down()
    rmSync(stateDir, {recursive: true, force: true})
  }
}
