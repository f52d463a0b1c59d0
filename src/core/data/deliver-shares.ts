import {randomBytes} from 'node:crypto'
import {posix} from 'node:path'

import type {EarlySessions} from '../fanout/early-sessions.js'
import type {Host} from '../inventory/host.js'
import type {DataEvents, DataProgress, DataReport, DataRequest, DataRunOptions} from './distribute-data.js'
import type {DataFile} from './scan-data-dir.js'

import {runOverSsh} from '../fanout/run-over-ssh.js'
import {deliverToHost} from './deliver-to-host.js'

export interface DeliverSetup extends Omit<DataRunOptions, 'events'> {
  events: DataEvents
  request: DataRequest
  manifestPath: string
  /** Logins started early; hosts without one log in when their turn comes. */
  early: EarlySessions | undefined
}

/**
 * Sends every host its share, one connection per host, and fills the report's per-host rows
 * and its list of files not delivered, reporting progress on the way.
 */
export async function deliverShares(
  hosts: Host[],
  shares: Map<string, DataFile[]>,
  report: DataReport,
  setup: DeliverSetup,
): Promise<void> {
  const busy = hosts.filter((host) => (shares.get(host.name)?.length ?? 0) > 0)
  const hostProgress = new Map(
    report.hosts
      .filter((share) => share.files > 0)
      .map((share) => [
        share.host,
        {host: share.host, filesTotal: share.files, bytesTotal: share.bytes, filesDone: 0, bytesSent: 0, failed: 0},
      ]),
  )
  const progress: DataProgress = {
    filesTotal: report.hosts.reduce((sum, share) => sum + share.files, 0),
    bytesTotal: report.hosts.reduce((sum, share) => sum + share.bytes, 0),
    filesDone: 0,
    bytesSent: 0,
    failedChecksum: 0,
    failed: 0,
    hosts: [...hostProgress.values()],
  }
  let batchNumber = 0
  const runId = randomBytes(4).toString('hex')
  const fanOut = {...setup.fanOut, open: setup.early?.open}
  const results = await runOverSsh(busy, setup.connect, fanOut, async (session, signal) =>
    deliverToHost(session, shares.get(session.host.name) ?? [], {
      remotePath: posix.join(setup.request.remoteRoot, 'data', setup.request.project),
      runId,
      manifestPath: setup.manifestPath,
      keep: setup.request.keep,
      signal,
      nextBatchNumber: () => batchNumber++,
      onBytes(host, bytes) {
        progress.bytesSent += bytes
        const mine = hostProgress.get(host)
        if (mine) mine.bytesSent += bytes
        setup.events.onProgress?.(progress)
      },
      onFilesDone(host, delivered, failures) {
        const failedChecksum = failures.filter((f) => f.failure.kind === 'checksum-mismatch').length
        progress.filesDone += delivered
        progress.failedChecksum += failedChecksum
        progress.failed += failures.length - failedChecksum
        const mine = hostProgress.get(host)
        if (mine) {
          mine.filesDone += delivered
          mine.failed += failures.length
        }

        setup.events.onProgress?.(progress)
      },
    }),
  )
  for (const [index, result] of results.entries()) {
    const host = busy[index]
    const share = report.hosts.find((entry) => entry.host === host?.name)
    if (host === undefined || share === undefined) continue
    share.ms = result.ms
    if (result.ok) {
      share.delivered = result.value.delivered
      share.deliveredBytes = result.value.bytes
      share.failedChecksum = result.value.failures.filter((f) => f.failure.kind === 'checksum-mismatch').length
      share.failed = result.value.failures.length - share.failedChecksum
      report.undelivered.push(...result.value.failures)
    } else {
      share.failure = result.failure
      share.failed = share.files
      report.undelivered.push(
        ...(shares.get(host.name) ?? []).map((file) => ({file: file.rel, host: host.name, failure: result.failure})),
      )
    }
  }

  report.delivered = report.hosts.reduce((sum, share) => sum + share.delivered, 0)
}
