import {spawn} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {repoRoot} from './paths.js'

export interface CliResult {
  code: null | number
  stdout: string
  stderr: string
  ms: number
  /** The process's peak resident set (VmHWM, the kernel's high-water mark), last read at most 50 ms before it ended, in bytes. */
  peakRss: number
}

export interface CliOptions {
  env?: Record<string, string | undefined>
  cwd?: string
  /** Kill the CLI after this long (the test then fails on the exit code). Default 60 s. */
  timeoutMs?: number
  /** Polled every 50 ms: once it returns true, the CLI gets `interruptSignal`. */
  interruptWhen?: () => boolean
  /** What interruptWhen sends: SIGINT (Ctrl-C, the default) or SIGTERM. */
  interruptSignal?: NodeJS.Signals
}

function peakRssOf(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) * 1024 : 0
  } catch {
    return 0
  }
}

/** Runs the built `bin/run.js` as a user would (NO_COLOR, no TTY), sampling its memory. */
export async function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const started = performance.now()
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), ...args], {
    cwd: options.cwd ?? repoRoot,
    env: {...process.env, NO_COLOR: '1', ...options.env},
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 60_000,
  })
  let stdout = ''
  let stderr = ''
  let peakRss = 0
  let interrupted = false
  const sampler = setInterval(() => {
    if (child.pid !== undefined) peakRss = Math.max(peakRss, peakRssOf(child.pid))
    if (!interrupted && options.interruptWhen?.()) {
      interrupted = true
      child.kill(options.interruptSignal ?? 'SIGINT')
    }
  }, 50)
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const code = await new Promise<null | number>((resolve) => {
    child.on('close', (exitCode) => resolve(exitCode))
  })
  clearInterval(sampler)
  return {code, stdout, stderr, ms: performance.now() - started, peakRss}
}

/** Runs the CLI with --json and parses its one JSON document. */
export async function runCliJson<T>(args: string[], options: CliOptions = {}): Promise<CliResult & {json: T}> {
  const result = await runCli([...args, '--json'], options)
  try {
    return {...result, json: JSON.parse(result.stdout) as T}
  } catch {
    throw new Error(`not JSON (exit ${result.code}): ${result.stdout}\n${result.stderr}`)
  }
}
