import type {Host} from '../inventory/host.js'
import type {ConnectOptions} from '../ssh/connect.js'
import type {TaskRecord} from './task-store.js'

import {UsageError} from '../errors.js'
import {failure, HostFailure} from '../host-result.js'
import {openSession} from '../ssh/connect.js'
import {exitOf} from '../ssh/session.js'
import {LogStartFilter, logStartLine} from './log-start.js'
import {logsCommand, taskDir} from './task-scripts.js'

export interface LogsRequest {
  id: string
  stream: 'stderr' | 'stdout'
  follow: boolean
}

/** What `task logs` reports (the output itself went to `onChunk`). */
export interface LogsReport {
  id: string
  host: string
  stream: 'stderr' | 'stdout'
  bytes: number
}

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
    const command = logsCommand(taskDir(record.remoteRoot, record.id), record.id, request.stream, request.follow)
    const exit = await session.withChannel(async () => {
      const channel = await session.openExec(command, options.signal)
      const onAbort = (): void => {
        channel.close()
        session.close()
      }

      options.signal.addEventListener('abort', onAbort, {once: true})
      if (options.signal.aborted) onAbort()
      // Drops what the login shell's rc printed before the log (a chatty host).
      const log = new LogStartFilter(logStartLine(record.id), (chunk) => {
        bytes += chunk.length
        options.onChunk(chunk)
      })
      channel.on('data', (chunk: Buffer) => log.push(chunk))
      channel.once('close', () => log.end())
      let stderr = ''
      channel.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8')
      })
      // A follow keeps its stdin open: its end tells the host that director went away.
      if (!request.follow) channel.end()
      try {
        return {status: await exitOf(channel), stderr}
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
