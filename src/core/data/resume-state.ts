import {createHash} from 'node:crypto'
import {createReadStream, readFileSync} from 'node:fs'
import {unlink} from 'node:fs/promises'
import {pipeline} from 'node:stream/promises'

import type {ManifestRecord, ManifestState} from './manifest.js'
import type {DataFile} from './scan-data-dir.js'

import {WHOLE_READ_LIMIT} from './file-source.js'

export interface ResumeState {
  /** Files still to send. */
  pending: DataFile[]
  /** Files an earlier run delivered and verified (their sources are now removed unless --keep). */
  alreadyDelivered: DataFile[]
  /** Hosts an earlier, unfinished run assigned: those files keep them. */
  previousHosts: Map<string, string>
  /**
   * Files that reuse the name of a file delivered earlier whose source was deleted: sending them
   * would replace the only copy of the earlier file. Left here unless `replace`.
   */
  conflicts: Array<{file: string; host: string}>
}

/**
 * Reconciles the scan with the manifest of earlier runs. A source whose identical copy was
 * verified on a host (same md5) is not sent again; it is removed now if an interrupted run had
 * not yet removed it. A kept source that changed since is sent again, to the same host; a new
 * file under the name of one delivered and deleted is a conflict.
 */
export async function resumeFromManifest(
  files: DataFile[],
  manifest: ManifestState,
  {keep, replace}: {keep: boolean; replace: boolean},
): Promise<ResumeState> {
  const state: ResumeState = {pending: [], alreadyDelivered: [], previousHosts: new Map(), conflicts: []}
  for (const file of files) {
    const record = manifest.get(file.rel)
    if (record === undefined) {
      state.pending.push(file)
      continue
    }

    state.previousHosts.set(file.rel, record.host)
    if (record.event !== 'done') {
      state.pending.push(file)
    } else if (await sameAsDelivered(file, record, keep)) {
      state.alreadyDelivered.push(file)
      if (!keep) await unlink(file.abs).catch(() => undefined)
    } else if (record.source === 'kept' || replace) {
      state.pending.push(file)
    } else {
      state.conflicts.push({file: file.rel, host: record.host})
    }
  }

  return state
}

/**
 * Whether a source is the file that was delivered. When sources are kept, an unchanged size and
 * modification time is enough (rsync's quick check): re-runs with --keep do not read the whole
 * data set again. Before a source may be deleted, its md5 must match.
 */
async function sameAsDelivered(file: DataFile, record: ManifestRecord, keep: boolean): Promise<boolean> {
  if (record.size !== file.size) return false
  if (keep && record.mtimeMs !== undefined && record.mtimeMs === file.mtimeMs) return true
  return record.md5 === (await md5OfFile(file))
}

/** Small files are read whole and synchronously: through the thread pool, each costs ~1 ms of round trips. */
async function md5OfFile(file: DataFile): Promise<string | undefined> {
  const hash = createHash('md5')
  try {
    if (file.size <= WHOLE_READ_LIMIT) return hash.update(readFileSync(file.abs)).digest('hex')
    await pipeline(createReadStream(file.abs, {highWaterMark: 1024 * 1024}), hash)
    return hash.digest('hex')
  } catch {
    return undefined
  }
}
