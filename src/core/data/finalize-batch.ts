import type {SshSession} from '../ssh/session.js'

import {failure, HostFailure} from '../host-result.js'
import {dropBatchScript, finalizeScript, type StagedBatch} from './remote-commands.js'

/**
 * One exec (the script on stdin) moves the verified files into place, drops the rest of the
 * staging folder and appends to the host's manifest. Returns the finals that did not move.
 */
export async function finalizeBatch(session: SshSession, remotePath: string, batch: StagedBatch): Promise<Set<string>> {
  const script = finalizeScript(remotePath, batch)
  const result = await session.exec('/bin/sh -s', {stdin: script, maxOutput: 64 * 1024 * 1024})
  if (result.code !== 0) {
    const why = result.stderr.trim().split('\n').at(-1) ?? `exit ${result.code ?? result.signal}`
    throw new HostFailure(failure('remote-error', `${session.host.name}: cannot move files into place: ${why}`))
  }

  const left = new Set(result.stdout.split('\0').filter(Boolean))
  return new Set(batch.finals.filter((rel) => left.has(`${batch.staging}/${rel}`)))
}

/** Best effort after a failed batch: removes its staging folder. */
export async function dropBatch(session: SshSession, remotePath: string, staging: string): Promise<void> {
  await session.exec('/bin/sh -s', {stdin: dropBatchScript(remotePath, staging)})
}
