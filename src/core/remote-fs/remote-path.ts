import {posix} from 'node:path'

import {UsageError} from '../errors.js'

/**
 * Where a user-given remote path points, as the remote shell would read it: `~` and
 * `~/x` are the login home, a relative path is relative to the home, `/x` is absolute.
 */
export function resolveRemotePath(path: string, home: string): string {
  if (path === '~') return home
  if (path.startsWith('~/')) return posix.join(home, path.slice(2))
  if (path.startsWith('~')) throw new UsageError(`"${path}": ~user paths are not supported; use an absolute path`)
  return posix.isAbsolute(path) ? posix.normalize(path) : posix.join(home, path)
}

/** Checks a single folder name: not empty, no `/`, not `.` or `..`, no NUL. */
export function checkFolderName(name: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw new UsageError(`invalid folder name "${name}": give one name, without "/" (e.g. "results")`)
  }
}
