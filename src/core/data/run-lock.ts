import {mkdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'

import {UsageError} from '../errors.js'

/**
 * Takes `path` as a lock file holding our pid, so two runs never work on one data folder at once.
 * A lock left by a process that no longer exists is taken over by renaming our own file over it
 * (atomic), then reading it back: of two runs taking over at once, only the last rename wins.
 * Returns the release function.
 */
export function takeRunLock(path: string): () => void {
  mkdirSync(dirname(path), {recursive: true})
  const mine = `${process.pid}\n`
  const release = (): void => {
    if (readOrEmpty(path) === mine) rmSync(path, {force: true})
  }

  try {
    writeFileSync(path, mine, {flag: 'wx', mode: 0o644})
    return release
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }

  const holder = Number(readOrEmpty(path).trim())
  if (isAlive(holder)) {
    throw new UsageError(
      `another director (pid ${holder}) is distributing this folder: wait for it, or remove ${path} if it is gone`,
    )
  }

  const temporary = `${path}.${process.pid}`
  writeFileSync(temporary, mine, {mode: 0o644})
  renameSync(temporary, path)
  if (readOrEmpty(path) !== mine) {
    throw new UsageError(`another director took over ${path} at the same moment: run again once it is done`)
  }

  return release
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
