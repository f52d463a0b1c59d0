import type {SFTPWrapper} from 'ssh2'

import {posix} from 'node:path'

import type {SshSession} from '../ssh/session.js'

import {failure, HostFailure} from '../host-result.js'
import {resolveRemotePath} from '../remote-fs/remote-path.js'
import {
  SFTP_NO_SUCH_FILE,
  SFTP_PERMISSION_DENIED,
  type SftpError,
  sftpHome,
  sftpMkdir,
} from '../remote-fs/sftp-calls.js'

const EXECUTABLE = 0o755

/**
 * Copies the local script to `remotePath` over SFTP and makes it executable (0755, whatever the
 * remote umask). Creates the missing folders only when the first try says they are missing, so a
 * repeated run costs one put and one chmod.
 */
export async function uploadScript(session: SshSession, localPath: string, remotePath: string): Promise<string> {
  const sftp = await session.sftp()
  const target = resolveRemotePath(remotePath, await sftpHome(sftp))
  const host = session.host.name
  try {
    await put(sftp, localPath, target).catch(async (error: SftpError) => {
      if (error.code !== SFTP_NO_SUCH_FILE) throw error
      await makeParents(sftp, posix.dirname(target))
      await put(sftp, localPath, target)
    })
    await new Promise<void>((resolve, reject) => {
      sftp.chmod(target, EXECUTABLE, (error: SftpError | null | undefined) => (error ? reject(error) : resolve()))
    })
  } catch (error) {
    const {code, message} = error as SftpError
    const kind = code === SFTP_PERMISSION_DENIED ? 'permission-denied' : 'remote-error'
    throw new HostFailure(failure(kind, `${host}: cannot upload the script to ${target}: ${message}`))
  }

  return target
}

async function put(sftp: SFTPWrapper, localPath: string, remotePath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    sftp.fastPut(localPath, remotePath, {mode: EXECUTABLE}, (error) => (error ? reject(error) : resolve()))
  })
}

/** mkdir -p over SFTP: each missing folder from the top; existing ones are fine. */
async function makeParents(sftp: SFTPWrapper, path: string): Promise<void> {
  let current = '/'
  for (const part of path.split('/').filter(Boolean)) {
    current = posix.join(current, part)
    await sftpMkdir(sftp, current).catch(async (error: SftpError) => {
      const exists = await new Promise<boolean>((resolve) => {
        sftp.stat(current, (statError, stats) => resolve(!statError && stats.isDirectory()))
      })
      if (!exists) throw error
    })
  }
}
