import {join} from 'node:path'

import type {FanOutOptions} from '../fanout/run-on-hosts.js'
import type {Host} from '../inventory/host.js'
import type {ConnectOptions} from '../ssh/connect.js'
import type {FileFailure} from './deliver-to-host.js'

import {EarlySessions} from '../fanout/early-sessions.js'
import {type Failure, failure} from '../host-result.js'
import {checkFolderName, resolveRemotePath} from '../remote-fs/remote-path.js'
import {deliverShares} from './deliver-shares.js'
import {readManifest} from './manifest.js'
import {type PlacementMode, type PlacementSummary, planPlacement} from './plan-placement.js'
import {resumeFromManifest} from './resume-state.js'
import {takeRunLock} from './run-lock.js'
import {type DataFile, noDataError, scanDataDir, type SkippedFile, STATE_DIR_NAME} from './scan-data-dir.js'

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

/**
 * One host's part of a run. "Failed" has one meaning everywhere (this row, the progress line,
 * the summary): a file of the share that is not on the host now, whatever the cause; so
 * `delivered + failed === files` once the run is over. `failedChecksum` counts those of them
 * whose copy did not match.
 */
export interface HostShare {
  host: string
  /** Files and bytes planned for this host in this run. */
  files: number
  bytes: number
  delivered: number
  deliveredBytes: number
  failed: number
  failedChecksum: number
  ms: number
  /** Why the whole host failed (down at the start, lost mid-run), if it did. */
  failure?: Failure
}

export interface DataReport {
  dir: string
  project: string
  found: number
  skipped: SkippedFile[]
  placement: PlacementSummary
  dryRun: boolean
  /** Files the manifest shows delivered by earlier runs (their sources deleted, or kept and unchanged). */
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

/**
 * Progress so far, counted as the report counts: `filesTotal` is every file this run is to
 * deliver (the selected hosts' shares and the conflicts found before sending), `failed` every
 * one of them known not delivered (with `failedChecksum` among them). `finished` marks the last
 * update, sent once every host is done: it agrees with the report.
 */
export interface DataProgress {
  filesTotal: number
  bytesTotal: number
  filesDone: number
  bytesSent: number
  failed: number
  failedChecksum: number
  /** The same per host with files to receive, in inventory order. */
  hosts: HostProgress[]
  finished: boolean
}

export interface HostProgress {
  host: string
  filesTotal: number
  bytesTotal: number
  filesDone: number
  bytesSent: number
  failed: number
  /** Why the whole host failed (could not log in), when it did. */
  failure?: Failure
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
  // A bad project or --remote-root (~user) is refused before anything is sent, not on the first host.
  checkFolderName(request.project, 'project name')
  resolveRemotePath(request.remoteRoot, '/')
  // The first hosts log in while the folder is scanned and the files placed.
  const early = request.dryRun
    ? undefined
    : new EarlySessions(targets.selected.slice(0, fanOut.concurrency), connect, fanOut.signal)
  let release = (): void => undefined
  try {
    const scan = await scanDataDir(request.dir, {extensions: request.extensions})
    const stateDir = join(request.dir, STATE_DIR_NAME, request.project)
    const manifestPath = join(stateDir, 'manifest.jsonl')
    // One run per data folder, whatever the project: two projects would send the same files.
    if (!request.dryRun) release = takeRunLock(join(request.dir, STATE_DIR_NAME, 'lock'))
    const manifest = readManifest(manifestPath)
    const resume = await resumeFromManifest(scan.files, manifest, {
      keep: request.keep || request.dryRun,
      replace: request.replace,
    })
    const pending = new Set(resume.pending.map((file) => file.rel))
    const deliveredEarlier = [...manifest.values()].filter(
      (record) => record.event === 'done' && !pending.has(record.file),
    ).length
    // A folder whose files were all delivered earlier is a finished run, not a mistake.
    if (scan.files.length === 0 && deliveredEarlier === 0) throw noDataError(request.dir, request.extensions)
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
      placement: {
        mode: placement.mode,
        seed: placement.seed,
        resumed: placement.resumed,
        unnumbered: placement.unnumbered,
      },
      dryRun: request.dryRun,
      alreadyDelivered: deliveredEarlier,
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
    const nothingToSend = resume.pending.length === 0 && report.undelivered.length === 0
    if (request.dryRun || nothingToSend) return {...report, ms: Math.round(performance.now() - started)}
    await deliverShares(targets.selected, shares, report, {request, manifestPath, connect, fanOut, events, early})
    return {...report, ms: Math.round(performance.now() - started)}
  } finally {
    early?.closeUnused()
    release()
  }
}

function emptyShare(host: string, files: DataFile[]): HostShare {
  const bytes = files.reduce((sum, file) => sum + file.size, 0)
  return {host, files: files.length, bytes, delivered: 0, deliveredBytes: 0, failedChecksum: 0, failed: 0, ms: 0}
}
