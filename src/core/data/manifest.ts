import {readFileSync} from 'node:fs'
import {mkdir, open} from 'node:fs/promises'
import {dirname} from 'node:path'

/**
 * One line of the manifest (JSON lines). `assign` is written before a batch is sent, so a
 * resumed run sends each file to the same host; `done` after the host verified the md5 and
 * the file has its final name, before the local source is deleted.
 */
export interface ManifestRecord {
  event: 'assign' | 'done'
  /** Path relative to the data folder. */
  file: string
  host: string
  size: number
  md5?: string
  /** Absolute path on the host (done only). */
  remote?: string
  /**
   * Done only: whether the local source was deleted, or kept (--keep, or it changed while it was
   * sent). A kept source that changes later is an update for the same host; a deleted one that
   * reappears with other content is another file that reuses the name.
   */
  source?: 'deleted' | 'kept'
  /** Done only: the source's modification time when it was read (ms), for the quick check of kept sources. */
  mtimeMs?: number
  time: string
}

/** The latest record of every file, as the manifest says after all its lines. */
export type ManifestState = Map<string, ManifestRecord>

/** Reads a manifest; a missing file is empty, a torn last line (a crash mid-write) is ignored. */
export function readManifest(path: string): ManifestState {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map()
    throw error
  }

  const state: ManifestState = new Map()
  for (const line of text.split('\n')) {
    const record = parseRecord(line)
    if (record) state.set(record.file, record)
  }

  return state
}

function parseRecord(line: string): ManifestRecord | undefined {
  if (line.trim() === '') return undefined
  try {
    const value = JSON.parse(line) as Partial<ManifestRecord>
    const valid =
      (value.event === 'assign' || value.event === 'done') &&
      typeof value.file === 'string' &&
      typeof value.host === 'string'
    return valid ? (value as ManifestRecord) : undefined
  } catch {
    return undefined
  }
}

/** Formats records as JSON lines. */
export function formatRecords(records: ManifestRecord[]): string {
  return records.map((record) => `${JSON.stringify(record)}\n`).join('')
}

/**
 * Appends records and resolves once they are on disk: the journal must survive a crash. The
 * write and the fsync run in the thread pool: done synchronously, each fsync held up every
 * connection (1.3 s of a 22,280-file run on a busy disk).
 */
export async function appendManifest(path: string, records: ManifestRecord[]): Promise<void> {
  if (records.length === 0) return
  await mkdir(dirname(path), {recursive: true})
  const handle = await open(path, 'a', 0o644)
  try {
    await handle.write(formatRecords(records))
    await handle.sync()
  } finally {
    await handle.close()
  }
}
