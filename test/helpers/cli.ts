import {spawn} from 'node:child_process'
import {join} from 'node:path'

import {repoRoot} from './paths.js'

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
  ms: number
}

export interface CliOptions {
  env?: Record<string, string | undefined>
  cwd?: string
  /** Kill the CLI after this long (the test then fails on the exit code). Default 60 s. */
  timeoutMs?: number
}

/** Runs the built `bin/run.js` as a user would, with NO_COLOR so output is plain text. */
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
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const code = await new Promise<number | null>((resolve) => {
    child.on('close', (exitCode) => resolve(exitCode))
  })
  return {code, stdout, stderr, ms: performance.now() - started}
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
