import type {FanOutOptions} from '../fanout/run-on-hosts.js'
import type {HostResult} from '../host-result.js'
import type {Host} from '../inventory/host.js'
import type {ConnectOptions} from '../ssh/connect.js'

import {runOverSsh} from '../fanout/run-over-ssh.js'
import {checkFolderName, resolveRemotePath} from '../remote/remote-path.js'
import {type MadeDirectory, makeDirectory, type MakeDirectoryRequest} from './make-directory.js'

export interface MkdirReport {
  results: Array<HostResult<MadeDirectory>>
  created: number
  exists: number
  failed: number
}

/** `director mkdir`: checks the names first (a usage error runs nothing), then every host at once. */
export async function mkdirOnHosts(
  hosts: Host[],
  request: MakeDirectoryRequest,
  connect: ConnectOptions,
  fanOut: FanOutOptions,
): Promise<MkdirReport> {
  checkFolderName(request.dirName)
  resolveRemotePath(request.path, '/')
  const results = await runOverSsh(hosts, connect, fanOut, async (session) => makeDirectory(session, request))
  const count = (outcome: MadeDirectory['outcome']): number =>
    results.filter((result) => result.ok && result.value.outcome === outcome).length
  return {
    results,
    created: count('created'),
    exists: count('exists'),
    failed: results.filter((result) => !result.ok).length,
  }
}
