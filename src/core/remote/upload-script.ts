import {posix} from 'node:path'

import type {SshSession} from '../ssh/session.js'

import {failure, HostFailure} from '../host-result.js'
import {
  SFTP_NO_SUCH_FILE,
  SFTP_PERMISSION_DENIED,
  type SftpError,
  sftpHome,
  sftpMakeParents,
} from '../ssh/sftp-calls.js'
import {resolveRemotePath} from './remote-path.js'

const EXECUTABLE = 0o755

/**
 * Copies the local script to `remotePath` over SFTP and makes it executable (0755, whatever the
 * remote umask). Creates the missing folders only when the first try says they are missing, so a
 * repeated run costs one put and one chmod.
 */
export async function uploadScript(session: SshSession, localPath: string, remotePath: string): Promise<string> {
  const target = resolveRemotePath(remotePath, await sftpHome(session))
  const host = session.host.name
  const put = async (): Promise<void> =>
    session.sftpCall<void>((sftp, done) => sftp.fastPut(localPath, target, {mode: EXECUTABLE}, done))
  try {
    await put().catch(async (error: SftpError) => {
      if (error.code !== SFTP_NO_SUCH_FILE) throw error
      await sftpMakeParents(session, posix.dirname(target))
      await put()
    })
    await session.sftpCall<void>((sftp, done) => sftp.chmod(target, EXECUTABLE, done))
  } catch (error) {
    if (error instanceof HostFailure) throw error
    const {code, message} = error as SftpError
    const kind = code === SFTP_PERMISSION_DENIED ? 'permission-denied' : 'remote-error'
    throw new HostFailure(failure(kind, `${host}: cannot upload the script to ${target}: ${message}`))
  }

  return target
}
