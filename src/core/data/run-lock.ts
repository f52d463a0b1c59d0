import {closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync} from 'node:fs'
import {dirname} from 'node:path'

import {UsageError} from '../errors.js'

/**
 * Takes `path` as a lock file holding our pid, so two runs never write one manifest at once.
 * A lock left by a process that no longer exists is taken over. Returns the release function.
 */
export function takeRunLock(path: string): () => void {
  mkdirSync(dirname(path), {recursive: true})
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644)
      writeSync(fd, `${process.pid}\n`)
      closeSync(fd)
      return () => rmSync(path, {force: true})
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number(readFileSync(path, 'utf8').trim())
      if (isAlive(holder)) {
        throw new UsageError(
          `another director (pid ${holder}) is distributing this folder: wait for it, or remove ${path} if it is gone`,
        )
      }

      rmSync(path, {force: true})
    }
  }

  throw new UsageError(`cannot take the lock ${path}`)
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
