import {join} from 'node:path'

import type {DataReport, DataRequest, DataRunOptions, DataTargets, HostShare} from './types.js'

import {EarlySessions} from '../fanout/early-sessions.js'
import {failure} from '../host-result.js'
import {checkFolderName, resolveRemotePath} from '../remote/remote-path.js'
import {deliverShares} from './deliver-shares.js'
import {readManifest} from './manifest.js'
import {planPlacement} from './plan-placement.js'
import {resumeFromManifest} from './resume-state.js'
import {takeRunLock} from './run-lock.js'
import {type DataFile, noDataError, scanDataDir, STATE_DIR_NAME} from './scan-data-dir.js'

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
