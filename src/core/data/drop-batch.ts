import type {SshSession} from '../ssh/session.js'

import {dropBatchScript} from './remote-commands.js'

/** Best effort after a failed batch: removes its staging folder, in an exec of its own. */
export async function dropBatch(session: SshSession, remotePath: string, staging: string): Promise<void> {
  await session.exec('/bin/sh -s', {stdin: dropBatchScript(remotePath, staging)})
}
