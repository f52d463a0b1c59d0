import {posix} from 'node:path'

import {UsageError} from '../errors.js'
import {shellQuote} from './shell-quote.js'

/** Where director keeps its files on a host unless `--remote-root` says otherwise. */
export const DEFAULT_REMOTE_ROOT = '~/director'

/** The project of runs and tasks not given one (`--project`): also a folder name on the hosts. */
export const DEFAULT_PROJECT = 'default'

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

/** A `--remote-root` as the folder layouts join onto: without trailing slashes (`~` and `/` stay). */
export function remoteRootOf(remoteRoot: string): string {
  return remoteRoot === '~' ? '~' : remoteRoot.replace(/\/+$/, '') || '/'
}

/**
 * Checks a name that becomes one path component on the hosts (a folder, a project): not empty,
 * not `.` or `..`, no `/`, no NUL. `what` names it in the message ("project name").
 */
export function checkFolderName(name: string, what = 'folder name'): void {
  const problem = folderNameProblem(name)
  if (problem !== undefined) throw new UsageError(`invalid ${what} ${JSON.stringify(name)}: ${problem}`)
}

function folderNameProblem(name: string): string | undefined {
  const example = '(e.g. "results")'
  if (name === '') return `it is empty: give one name ${example}`
  if (name === '.' || name === '..') return `"${name}" is not a name of its own: give one name ${example}`
  if (name.includes('/')) return `give one name, without "/" ${example}`
  if (name.includes('\0')) return 'it contains a NUL byte'
  return undefined
}

/**
 * A host's inventory name as one path component, the same on every run and unlike any other
 * name's: letters, digits, `@`, `.`, `_` and `-` stay, every other byte is `%XX` (`admin@node:22`
 * -> `admin@node%3A22`; a leading `.` too). On homes shared by several hosts (NFS), what a
 * command leaves on a host goes under this name, so hosts never touch each other's files.
 */
export function hostPathComponent(name: string): string {
  let safe = ''
  for (const byte of Buffer.from(name, 'utf8')) {
    const char = String.fromCodePoint(byte)
    const kept = /[\w@-]/.test(char) || (char === '.' && safe !== '')
    safe += kept && byte < 0x80 ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }

  return safe
}

/**
 * A remote path as one word for the remote shell: `~/x` becomes `"$HOME"/x` (the shell expands
 * only the home), a relative path is taken from the home as SFTP and sshd do, the rest is quoted.
 */
export function remoteShellWord(path: string): string {
  if (path === '~') return '"$HOME"'
  if (path.startsWith('~/')) return `"$HOME"/${shellQuote(path.slice(2))}`
  if (posix.isAbsolute(path)) return shellQuote(path)
  return `"$HOME"/${shellQuote(path)}`
}
