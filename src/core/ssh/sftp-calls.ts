import type {Stats} from 'ssh2'

import {posix} from 'node:path'

import type {SshSession} from './session.js'

/** SFTP status codes (draft-ietf-secsh-filexfer-02) that decide what a failure means. */
export const SFTP_NO_SUCH_FILE = 2
export const SFTP_PERMISSION_DENIED = 3

/** An SFTP error as ssh2 reports it: the server's status code and message. */
export type SftpError = Error & {code?: number}

/** stat, with "no such file" as undefined instead of an error. */
export async function statOrUndefined(session: SshSession, path: string): Promise<Stats | undefined> {
  try {
    return await session.sftpCall<Stats>((sftp, done) => sftp.stat(path, done))
  } catch (error) {
    if ((error as SftpError).code === SFTP_NO_SUCH_FILE) return undefined
    throw error
  }
}

export async function sftpMkdir(session: SshSession, path: string): Promise<void> {
  await session.sftpCall<void>((sftp, done) => sftp.mkdir(path, done))
}

/** mkdir -p: each missing folder from the top; folders that exist are fine. */
export async function sftpMakeParents(session: SshSession, path: string): Promise<void> {
  let current = '/'
  for (const part of path.split('/').filter(Boolean)) {
    current = posix.join(current, part)
    await sftpMkdir(session, current).catch(async (error: unknown) => {
      // SFTP reports "exists" as a generic failure: look at what is there.
      const stats = await statOrUndefined(session, current).catch(() => undefined)
      if (!stats?.isDirectory()) throw error
    })
  }
}

/** The folder SFTP starts in: the login home on a stock sshd. */
export async function sftpHome(session: SshSession): Promise<string> {
  return session.sftpCall<string>((sftp, done) => sftp.realpath('.', done))
}
