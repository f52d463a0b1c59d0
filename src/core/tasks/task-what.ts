import {statSync} from 'node:fs'
import {resolve} from 'node:path'

import type {RunWhat} from '../remote/run-what.js'

import {UsageError} from '../errors.js'

/** What a task runs, from `<script> [args...]` or `-c <command>`; a UsageError when neither or both. */
export function taskWhat(
  script: string | undefined,
  args: string[],
  command: string | undefined,
  cwd: string,
): RunWhat {
  if (command !== undefined) {
    if (script !== undefined) throw new UsageError('give a script or -c <command>, not both')
    if (command.trim() === '') throw new UsageError('-c: the command is empty')
    return {kind: 'command', command}
  }

  if (script === undefined) throw new UsageError('give a script to start, or -c <command> (see --help)')
  const path = resolve(cwd, script)
  let isFile = false
  try {
    isFile = statSync(path).isFile()
  } catch {}

  if (!isFile) throw new UsageError(`${script}: no such script file`)
  return {kind: 'script', script: path, args}
}
