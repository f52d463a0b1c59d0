import {randomBytes} from 'node:crypto'
import {posix} from 'node:path'

import type {SshSession} from '../ssh/session.js'

import {failure, HostFailure} from '../host-result.js'
import {posixShell, shellJoin} from '../remote/shell-quote.js'
import {uploadScript} from '../remote/upload-script.js'

/**
 * Uploads a local executable (a task's script, a keep hook) to `remotePath` under a temp name,
 * then renames it over the old copy: a task still running the old copy goes on reading it (a
 * rename never rewrites the file it has open), and a half-sent file is never run. Returns the
 * absolute path on the host.
 */
export async function uploadReplacing(
  session: SshSession,
  localPath: string,
  remotePath: string,
  signal?: AbortSignal,
): Promise<string> {
  const suffix = `.${randomBytes(4).toString('hex')}.new`
  const temp = await uploadScript(session, localPath, `${remotePath}${suffix}`)
  const target = temp.slice(0, -suffix.length)
  const result = await session.exec(posixShell(shellJoin(['mv', '-f', '--', temp, target])), {signal})
  if (result.code !== 0) {
    const detail = result.stderr.trim() || `exit ${result.code ?? result.signal}`
    throw new HostFailure(
      failure('remote-error', `${session.host.name}: cannot put ${posix.basename(target)} in place: ${detail}`),
    )
  }

  return target
}
