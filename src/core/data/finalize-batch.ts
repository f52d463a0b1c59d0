import type {SFTPWrapper} from 'ssh2'

import {posix} from 'node:path'
import pLimit from 'p-limit'

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
  const limit = pLimit(IN_FLIGHT)
  const failed = new Set<string>()
  await Promise.all([
    ...renames.map(async ({part, final}) =>
      limit(async () => {
        const ok = await renameOver(session, posix.join(root, part), posix.join(root, final))
        if (!ok) failed.add(final)
      }),
    ),
    ...drops.map(async (part) => limit(async () => removeFile(session, posix.join(root, part)))),
  ])
  // The host's manifest is a convenience copy: the files are in place, the local one is the record.
  if (manifest !== '')
    await attempt(session, (sftp, done) => sftp.appendFile(posix.join(root, REMOTE_MANIFEST), manifest, done))
  return failed
}

/** Removes files; a file already gone is fine. Best effort: used after failures too. */
export async function removeParts(session: SshSession, root: string, parts: string[]): Promise<void> {
  const limit = pLimit(IN_FLIGHT)
  await Promise.all(parts.map(async (part) => limit(async () => removeFile(session, posix.join(root, part)))))
}

/**
 * OpenSSH's posix-rename replaces the target atomically. Only a server that lacks the extension
 * gets plain SFTP rename, which does not replace: the old copy is removed first. Any other error
 * (the connection went away) leaves everything as it is.
 */
async function renameOver(session: SshSession, from: string, to: string): Promise<boolean> {
  const error = await attempt(session, (sftp, done) => sftp.ext_openssh_rename(from, to, done))
  if (error === undefined) return true
  if (!/does not support/i.test(error.message)) return false
  await removeFile(session, to)
  return (await attempt(session, (sftp, done) => sftp.rename(from, to, done))) === undefined
}

async function removeFile(session: SshSession, path: string): Promise<void> {
  await attempt(session, (sftp, done) => sftp.unlink(path, done))
}

/** Runs an SFTP call and resolves with its error, or undefined on success; never hangs. */
async function attempt(
  session: SshSession,
  run: (sftp: SFTPWrapper, done: (error?: Error | null) => void) => void,
): Promise<Error | undefined> {
  return session.sftpCall<void>(run).then(
    () => undefined,
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  )
}
