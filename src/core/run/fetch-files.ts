import {spawn} from 'node:child_process'
import {mkdir, readdir, stat} from 'node:fs/promises'
import {join} from 'node:path'

import type {SshSession} from '../ssh/session.js'

import {failure, HostFailure} from '../host-result.js'
import {posixShell} from '../remote/shell-quote.js'

/** What came back from a host's output/ folder. */
export interface FetchedFiles {
  files: number
  bytes: number
}

/**
 * Brings every file under the remote output folder into `localDir` with one exec: the remote
 * `tar cf -` streams into a local `tar xf -`, so memory stays bounded. When the folder is empty
 * the remote side prints nothing and no local tar is started.
 */
export async function fetchFiles(
  session: SshSession,
  script: string,
  localDir: string,
  signal: AbortSignal,
): Promise<FetchedFiles> {
  const host = session.host.name
  await session.command(posixShell(script), signal, async (remote) => {
    remote.stdin.end()
    remote.stderr.resume()
    const first = await new Promise<Buffer | undefined>((resolve) => {
      remote.stdout.once('data', (chunk: Buffer) => {
        // Paused at once: chunks that arrive before the pipe below are kept, not dropped.
        remote.stdout.pause()
        resolve(chunk)
      })
      // The exit is recorded since the channel opened: a quick close cannot be missed here.
      remote.exit.then(
        () => resolve(undefined),
        () => resolve(undefined),
      )
    })
    if (first === undefined) return
    await mkdir(localDir, {recursive: true})
    // No owners or modes from the host; GNU tar refuses `..` members and absolute paths.
    const tar = spawn('tar', ['-x', '-f', '-', '-C', localDir, '--no-same-owner', '--no-same-permissions'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    })
    let tarError = ''
    tar.stderr.setEncoding('utf8').on('data', (text: string) => {
      if (tarError.length < 4096) tarError += text
    })
    const exited = new Promise<null | number>((resolve) => {
      tar.once('close', resolve)
      tar.once('error', () => resolve(-1))
    })
    tar.stdin.on('error', () => {})
    tar.stdin.write(first)
    remote.stdout.pipe(tar.stdin)
    const code = await exited
    if (code !== 0)
      throw new HostFailure(failure('remote-error', `${host}: cannot unpack its output files: ${tarError.trim()}`))
  })
  return countFiles(localDir)
}

/** Regular files and their bytes under a folder (none when it does not exist). */
export async function countFiles(dir: string): Promise<FetchedFiles> {
  const entries = await readdir(dir, {recursive: true, withFileTypes: true}).catch(() => [])
  let bytes = 0
  let files = 0
  for (const entry of entries) {
    if (!entry.isFile()) continue
    files++
    bytes += (await stat(join(entry.parentPath, entry.name))).size
  }

  return {files, bytes}
}
