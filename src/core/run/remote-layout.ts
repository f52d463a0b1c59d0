import {posix} from 'node:path'

import {checkFolderName, resolveRemotePath} from '../remote-fs/remote-path.js'
import {shellQuote} from '../ssh/shell-quote.js'

/**
 * The project-wide layout (`bin/<project>/<script>`) that `task start` uploads into. `director
 * run` no longer uses it: each of its hosts has a folder of its own per run (host-layout.ts).
 */
export interface RemoteLayout {
  binDir: string
  /** The uploaded script; undefined for an ad-hoc command. */
  script: string | undefined
  runDir: string
  outputDir: string
  /** Holds the process group id of the running command, for the kill. */
  pidFile: string
}

/** Lays out a run; throws a UsageError for a bad project name or remote root. */
export function remoteLayout(remoteRoot: string, project: string, runId: string, scriptName?: string): RemoteLayout {
  checkFolderName(project, 'project name')
  resolveRemotePath(remoteRoot, '/')
  if (scriptName !== undefined) checkFolderName(scriptName, 'script name')
  const root = remoteRoot === '~' ? '~' : remoteRoot.replace(/\/+$/, '') || '/'
  const binDir = posix.join(root, 'bin', project)
  const runDir = posix.join(root, 'run', project)
  return {
    binDir,
    script: scriptName === undefined ? undefined : posix.join(binDir, scriptName),
    runDir,
    outputDir: posix.join(runDir, 'output'),
    pidFile: posix.join(runDir, `.director-${runId}.pid`),
  }
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
