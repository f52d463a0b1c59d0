import {posix} from 'node:path'

import type {SshSession} from '../ssh/session.js'

import {failure, HostFailure} from '../host-result.js'
import {resolveRemotePath} from '../remote/remote-path.js'
import {
  SFTP_PERMISSION_DENIED,
  type SftpError,
  sftpHome,
  sftpMakeParents,
  sftpMkdir,
  statOrUndefined,
} from '../ssh/sftp-calls.js'

export interface MakeDirectoryRequest {
  /** The parent as the user wrote it (`~`, relative to home, or absolute). */
  path: string
  dirName: string
  /** Create missing parents, like `mkdir -p`. */
  parents: boolean
}

export interface MadeDirectory {
  /** The absolute remote path of the folder. */
  path: string
  outcome: 'created' | 'exists'
}

/**
 * Creates `<path>/<dirName>` on one host over SFTP: no remote shell, so any name is taken
 * literally. A missing parent fails unless `parents`; an existing folder is `exists`.
 */
export async function makeDirectory(session: SshSession, request: MakeDirectoryRequest): Promise<MadeDirectory> {
  const host = session.host.name
  const parent = resolveRemotePath(request.path, await sftpHome(session))
  const target = posix.join(parent, request.dirName)
  const parentStats = await statOrUndefined(session, parent).catch((error: SftpError) => fail(host, parent, error))
  if (parentStats === undefined) {
    if (!request.parents) {
      throw new HostFailure(failure('no-such-path', `${parent} does not exist on ${host} (use --parents to create it)`))
    }

    await sftpMakeParents(session, parent).catch((error: SftpError) => fail(host, parent, error))
  } else if (!parentStats.isDirectory()) {
    throw new HostFailure(failure('exists-not-dir', `${parent} on ${host} is not a folder`))
  }

  return {path: target, outcome: await makeOne(session, target, host)}
}

async function makeOne(session: SshSession, path: string, host: string): Promise<MadeDirectory['outcome']> {
  try {
    await sftpMkdir(session, path)
    return 'created'
  } catch (error) {
    // SFTP reports "exists" as a generic failure: look at what is there.
    const stats = await statOrUndefined(session, path).catch(() => undefined)
    if (stats?.isDirectory()) return 'exists'
    if (stats) throw new HostFailure(failure('exists-not-dir', `${path} on ${host} exists and is not a folder`))
    return fail(host, path, error as SftpError)
  }
}

function fail(host: string, path: string, error: SftpError): never {
  if (error.code === SFTP_PERMISSION_DENIED) {
    throw new HostFailure(failure('permission-denied', `permission denied for ${path} on ${host}`))
  }

  throw new HostFailure(failure('remote-error', `${path} on ${host}: ${error.message}`))
}
