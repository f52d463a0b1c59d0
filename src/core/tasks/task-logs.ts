import type {Host} from '../inventory/host.js'
import type {ConnectOptions} from '../ssh/connect.js'
import type {TaskRecord} from './task-store.js'
import type {LogsReport, LogsRequest} from './types.js'

import {UsageError} from '../errors.js'
import {failure, HostFailure} from '../host-result.js'
import {openSession} from '../ssh/connect.js'
import {LogStartFilter, logStartLine} from './log-start.js'
import {sandboxDirOf} from './task-paths.js'
import {logsCommand} from './task-scripts.js'

/**
 * Streams a task's stdout or stderr from its sandbox to `onChunk`; with `follow`, until the
 * task's process group ends or the signal fires (Ctrl-C). The signal ends the connection at
 * once: sshd would hold the channel open while the remote command runs, and the remote follow
 * ends when its stdin closes (see logsCommand).
 */
export async function readTaskLog(
  hosts: Host[],
  records: TaskRecord[],
  request: LogsRequest,
  options: {connect: ConnectOptions; signal: AbortSignal; onChunk: (chunk: Buffer) => void},
): Promise<LogsReport> {
  const record = records.find((r) => r.id === request.id)
  if (record === undefined) throw new UsageError(`unknown task ${request.id}: see director task list`)
  const host = hosts.find((h) => h.name === record.host)
  if (host === undefined)
    throw new UsageError(`task ${request.id} ran on ${record.host}, which is not in the inventory`)
  const session = await openSession(host, options.connect, options.signal)
  let bytes = 0
  try {
    const dir = sandboxDirOf(record.remoteRoot, host.name, {id: record.id, record, legacy: false})
    const command = logsCommand(dir, record.id, request.stream, request.follow)
    const exit = await session.command(command, options.signal, async (remote) => {
      const onAbort = (): void => {
        remote.close()
        session.close()
      }

      options.signal.addEventListener('abort', onAbort, {once: true})
      if (options.signal.aborted) onAbort()
      // Drops what the login shell's rc printed before the log (a chatty host).
      const log = new LogStartFilter(logStartLine(record.id), (chunk) => {
        bytes += chunk.length
        options.onChunk(chunk)
      })
      remote.stdout.on('data', (chunk: Buffer) => log.push(chunk))
      remote.exit.then(
        () => log.end(),
        () => log.end(),
      )
      let stderr = ''
      remote.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8')
      })
      // A follow keeps its stdin open: its end tells the host that director went away.
      if (!request.follow) remote.stdin.end()
      try {
        return {status: await remote.exit, stderr}
      } finally {
        options.signal.removeEventListener('abort', onAbort)
      }
    })
    if (!options.signal.aborted && exit.status?.code !== 0)
      throw new HostFailure(failure('remote-error', `${host.name}: ${exit.stderr.trim() || 'cannot read the log'}`))
  } finally {
    session.close()
  }

  return {id: record.id, host: host.name, stream: request.stream, bytes}
}
