import type {SshSession} from '../ssh/session.js'

import {failure, HostFailure} from '../host-result.js'
import {dropBatchScript, finalizeConfirmed, finalizeScript, type StagedBatch} from './remote-commands.js'

/**
 * One exec (the script on stdin) moves the verified files into place, drops the staging folder
 * and appends to the host's manifest. It succeeds only if every move did and the host says so;
 * otherwise no file of the batch counts as delivered, and every source stays.
 */
export async function finalizeBatch(session: SshSession, remotePath: string, batch: StagedBatch): Promise<void> {
  const script = finalizeScript(remotePath, batch)
  const result = await session.exec('/bin/sh -s', {stdin: script})
  if (result.code === 0 && finalizeConfirmed(result.stdout)) return
  const why = result.stderr.trim().split('\n').at(-1) || `exit ${result.code ?? result.signal}`
  throw new HostFailure(failure('remote-error', `${session.host.name}: cannot move files into place: ${why}`))
}

/** Best effort after a failed batch: removes its staging folder. */
export async function dropBatch(session: SshSession, remotePath: string, staging: string): Promise<void> {
  await session.exec('/bin/sh -s', {stdin: dropBatchScript(remotePath, staging)})
}
