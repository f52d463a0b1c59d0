import type {SFTPWrapper} from 'ssh2'

import {posix} from 'node:path'
import pLimit from 'p-limit'

import type {SftpError} from '../remote-fs/sftp-calls.js'
import type {SshSession} from '../ssh/session.js'

import {REMOTE_MANIFEST} from './remote-commands.js'

/** SFTP requests in flight at once on one connection while finalizing a batch. */
const IN_FLIGHT = 64

export interface BatchOutcome {
  /** Verified parts and the final names they get. */
  renames: Rename[]
  /** Parts to remove: rejected by the checksum, or their source failed. */
  drops: string[]
  /** JSON lines for the host's manifest. */
  manifest: string
}

export interface Rename {
  part: string
  final: string
}

/**
 * Over SFTP (no shell, so no name is ever parsed, and no process per file): gives verified
 * parts their final names with OpenSSH's atomic posix-rename, removes rejected parts, and
 * appends the batch's records to the host's manifest. Returns the finals whose rename failed.
 */
export async function finalizeBatch(
  session: SshSession,
  root: string,
  {renames, drops, manifest}: BatchOutcome,
): Promise<Set<string>> {
  const sftp = await session.sftp()
  const limit = pLimit(IN_FLIGHT)
  const failed = new Set<string>()
  await Promise.all([
    ...renames.map(async ({part, final}) =>
      limit(async () => {
        const ok = await renameOver(sftp, posix.join(root, part), posix.join(root, final))
        if (!ok) failed.add(final)
      }),
    ),
    ...drops.map(async (part) => limit(async () => removeFile(sftp, posix.join(root, part)))),
  ])
  if (manifest !== '') await appendText(sftp, posix.join(root, REMOTE_MANIFEST), manifest)
  return failed
}

/** Removes files; a file already gone is fine. Best effort: used after failures too. */
export async function removeParts(session: SshSession, root: string, parts: string[]): Promise<void> {
  const sftp = await session.sftp()
  const limit = pLimit(IN_FLIGHT)
  await Promise.all(parts.map(async (part) => limit(async () => removeFile(sftp, posix.join(root, part)))))
}

async function renameOver(sftp: SFTPWrapper, from: string, to: string): Promise<boolean> {
  const posixRename = await call((done) => sftp.ext_openssh_rename(from, to, done))
  if (posixRename === undefined) return true
  // A server without OpenSSH's extension: plain SFTP rename does not replace, so clear the way.
  await removeFile(sftp, to)
  return (await call((done) => sftp.rename(from, to, done))) === undefined
}

async function removeFile(sftp: SFTPWrapper, path: string): Promise<void> {
  await call((done) => sftp.unlink(path, done))
}

async function appendText(sftp: SFTPWrapper, path: string, text: string): Promise<void> {
  const error = await call((done) => sftp.appendFile(path, text, done))
  if (error) throw error
}

/** Runs an SFTP call and resolves with its error, or undefined on success. */
async function call(start: (done: (error?: SftpError | null) => void) => void): Promise<SftpError | undefined> {
  return new Promise((resolve) => {
    start((error) => resolve(error ?? undefined))
  })
}
