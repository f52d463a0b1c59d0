import {randomBytes} from 'node:crypto'
import {posix} from 'node:path'

import type {EarlySessions} from '../fanout/early-sessions.js'
import type {HostResult} from '../host-result.js'
import type {Host} from '../inventory/host.js'
import type {DataFile} from './scan-data-dir.js'
import type {DataEvents, DataProgress, DataReport, DataRequest, DataRunOptions} from './types.js'

import {runOverSsh} from '../fanout/run-over-ssh.js'
import {deliverToHost, type FileFailure, type HostDelivery} from './deliver-to-host.js'

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
  const progress = startProgress(report)
  const hostProgress = new Map(progress.hosts.map((entry) => [entry.host, entry]))
  const tell = (): void => setup.events.onProgress?.(progress)
  let batchNumber = 0
  const runId = randomBytes(4).toString('hex')
  // A host that failed as a whole (it could not be logged in to) fails the rest of its share at
  // once, in the live count too.
  const onResult = (result: HostResult<HostDelivery>): void => {
    const mine = hostProgress.get(result.host)
    if (result.ok || mine === undefined) return
    const rest = mine.filesTotal - mine.filesDone - mine.failed
    mine.failed += rest
    mine.failure = result.failure
    progress.failed += rest
    tell()
  }

  const fanOut = {...setup.fanOut, open: setup.early?.open, onResult}
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
        tell()
      },
      onFilesDone(host, delivered, failures) {
        progress.filesDone += delivered
        progress.failed += failures.length
        progress.failedChecksum += countChecksumFailures(failures)
        const mine = hostProgress.get(host)
        if (mine) {
          mine.filesDone += delivered
          mine.failed += failures.length
        }

        tell()
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
      share.failed = result.value.failures.length
      share.failedChecksum = countChecksumFailures(result.value.failures)
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
  setup.events.onProgress?.(finalProgress(report, progress))
}

/** Progress before anything is sent: the conflicts found while planning have already failed. */
function startProgress(report: DataReport): DataProgress {
  const hosts = report.hosts
    .filter((share) => share.files > 0)
    .map((share) => ({
      host: share.host,
      filesTotal: share.files,
      bytesTotal: share.bytes,
      filesDone: 0,
      bytesSent: 0,
      failed: 0,
    }))
  const conflicts = report.undelivered.length
  return {
    filesTotal: hosts.reduce((sum, host) => sum + host.filesTotal, 0) + conflicts,
    bytesTotal: hosts.reduce((sum, host) => sum + host.bytesTotal, 0),
    filesDone: 0,
    bytesSent: 0,
    failed: conflicts,
    failedChecksum: 0,
    hosts,
    finished: false,
  }
}

/** The last update, taken from the finished report so that it says what the summary says. */
function finalProgress(report: DataReport, live: DataProgress): DataProgress {
  const byHost = new Map(report.hosts.map((share) => [share.host, share]))
  const hosts = live.hosts.map((entry) => {
    const share = byHost.get(entry.host)
    if (share === undefined) return entry
    const failure = share.failure === undefined ? {} : {failure: share.failure}
    return {...entry, filesDone: share.delivered, failed: share.failed, ...failure}
  })
  return {
    ...live,
    filesDone: report.delivered,
    failed: report.undelivered.length,
    failedChecksum: countChecksumFailures(report.undelivered),
    hosts,
    finished: true,
  }
}

function countChecksumFailures(failures: FileFailure[]): number {
  return failures.filter((entry) => entry.failure.kind === 'checksum-mismatch').length
}
