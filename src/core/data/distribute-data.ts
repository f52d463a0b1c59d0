import {randomBytes} from 'node:crypto'
import {join, posix} from 'node:path'

import type {FanOutOptions} from '../fanout/run-on-hosts.js'
import type {Host} from '../inventory/host.js'
import type {ConnectOptions} from '../ssh/connect.js'

import {runOverSsh} from '../fanout/run-over-ssh.js'
import {type Failure, failure} from '../host-result.js'
import {deliverToHost, type FileFailure} from './deliver-to-host.js'
import {readManifest} from './manifest.js'
import {type PlacementMode, planPlacement} from './plan-placement.js'
import {resumeFromManifest} from './resume-state.js'
import {takeRunLock} from './run-lock.js'
import {type DataFile, scanDataDir, type SkippedFile, STATE_DIR_NAME} from './scan-data-dir.js'

/**
 * Placement runs over every host of the inventory, so `--limit` never moves a file to another
 * host; only the selected hosts are sent their share, the others' files stay where they are.
 */
export interface DataTargets {
  all: Host[]
  selected: Host[]
}

export interface DataRequest {
  dir: string
  project: string
  /** Extensions to take; undefined for every file (--all). */
  extensions: string[] | undefined
  placement: PlacementMode
  seed?: number | undefined
  keep: boolean
  /** Send files that reuse the name of a delivered (and deleted) file, replacing the host's copy. */
  replace: boolean
  dryRun: boolean
  /** `--remote-root`, default `~/director`. */
  remoteRoot: string
}

export interface HostShare {
  host: string
  /** Files and bytes planned for this host in this run. */
  files: number
  bytes: number
  delivered: number
  deliveredBytes: number
  failedChecksum: number
  failed: number
  ms: number
  /** Why the whole host failed (down at the start, lost mid-run), if it did. */
  failure?: Failure
}

export interface DataReport {
  dir: string
  project: string
  found: number
  skipped: SkippedFile[]
  placement: {mode: 'mod' | 'random'; seed: number | undefined}
  dryRun: boolean
  alreadyDelivered: number
  /** Shares of the selected hosts, in inventory order. */
  hosts: HostShare[]
  /** Files placed on hosts that --limit left out: they stay in the data folder for a later run. */
  notSelected: number
  /** Every file that is not on a host, with why; its source is still in the data folder. */
  undelivered: FileFailure[]
  delivered: number
  manifest: string
  ms: number
}

export interface DataProgress {
  filesTotal: number
  bytesTotal: number
  filesDone: number
  bytesSent: number
  failedChecksum: number
  failed: number
  /** The same per host with files to receive, in inventory order. */
  hosts: HostProgress[]
}

export interface HostProgress {
  host: string
  filesTotal: number
  bytesTotal: number
  filesDone: number
  bytesSent: number
  failed: number
}

/** How to reach the hosts, and who to tell about progress. */
export interface DataRunOptions {
  connect: ConnectOptions
  fanOut: FanOutOptions
  events?: DataEvents
}

export interface DataEvents {
  /** After the scan and the placement, before anything is sent. */
  onPlan?: (report: DataReport) => void
  onProgress?: (progress: DataProgress) => void
}

/**
 * `director data`: spreads a folder's data files across the hosts, each file to exactly one host,
 * verified by md5 on the host's disk before its source is deleted. Resumable: see the manifest.
 */
export async function distributeData(
  targets: DataTargets,
  request: DataRequest,
  {connect, fanOut, events = {}}: DataRunOptions,
): Promise<DataReport> {
  const started = performance.now()
  const scan = await scanDataDir(request.dir, {extensions: request.extensions})
  const stateDir = join(request.dir, STATE_DIR_NAME, request.project)
  const manifestPath = join(stateDir, 'manifest.jsonl')
  // One run per data folder, whatever the project: two projects would send the same files.
  const release = request.dryRun ? () => undefined : takeRunLock(join(request.dir, STATE_DIR_NAME, 'lock'))
  try {
    const resume = await resumeFromManifest(scan.files, readManifest(manifestPath), {
      keep: request.keep || request.dryRun,
      replace: request.replace,
    })
    const names = targets.all.map((host) => host.name)
    const selected = new Set(targets.selected.map((host) => host.name))
    const placement = planPlacement(
      resume.pending.map((file) => file.rel),
      names,
      {mode: request.placement, seed: request.seed, previous: resume.previousHosts},
    )
    const shares = new Map(names.map((name) => [name, [] as DataFile[]]))
    for (const file of resume.pending) shares.get(placement.hosts.get(file.rel) ?? '')?.push(file)
    const report: DataReport = {
      dir: request.dir,
      project: request.project,
      found: scan.files.length,
      skipped: scan.skipped,
      placement: {mode: placement.mode, seed: placement.seed},
      dryRun: request.dryRun,
      alreadyDelivered: resume.alreadyDelivered.length,
      hosts: names.filter((name) => selected.has(name)).map((host) => emptyShare(host, shares.get(host) ?? [])),
      notSelected: names
        .filter((name) => !selected.has(name))
        .reduce((sum, name) => sum + (shares.get(name)?.length ?? 0), 0),
      undelivered: resume.conflicts.map(({file, host}) => ({
        file,
        host,
        failure: failure(
          'conflict',
          `${file} was delivered to ${host} earlier with other content and its source deleted: rename the new file, or pass --replace to overwrite the copy on ${host}`,
        ),
      })),
      delivered: 0,
      manifest: manifestPath,
      ms: 0,
    }
    events.onPlan?.(report)
    if (request.dryRun) return {...report, ms: Math.round(performance.now() - started)}
    await deliver(targets.selected, shares, report, {request, manifestPath, connect, fanOut, events})
    return {...report, ms: Math.round(performance.now() - started)}
  } finally {
    release()
  }
}

function emptyShare(host: string, files: DataFile[]): HostShare {
  const bytes = files.reduce((sum, file) => sum + file.size, 0)
  return {host, files: files.length, bytes, delivered: 0, deliveredBytes: 0, failedChecksum: 0, failed: 0, ms: 0}
}

interface DeliverSetup {
  request: DataRequest
  manifestPath: string
  connect: ConnectOptions
  fanOut: FanOutOptions
  events: DataEvents
}

async function deliver(
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
  const results = await runOverSsh(busy, setup.connect, setup.fanOut, async (session, signal) =>
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
