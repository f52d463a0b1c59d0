import {unlink} from 'node:fs/promises'
import {posix} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import pLimit from 'p-limit'

import type {SshSession} from '../ssh/session.js'
import type {DataFile} from './scan-data-dir.js'

import {failure, type Failure, HostFailure} from '../host-result.js'
import {resolveRemotePath} from '../remote-fs/remote-path.js'
import {posixShell} from '../ssh/shell-quote.js'
import {finalizeBatch, removeParts} from './finalize-batch.js'
import {appendManifest, formatRecords, type ManifestRecord} from './manifest.js'
import {cleanupPartsScript, listName, partName} from './remote-commands.js'
import {type BatchItem, sendBatch, type SentItem} from './send-batch.js'

/** A batch holds at most this many files or bytes; two batches of a host are in flight at once. */
export const BATCH_FILES = 500
export const BATCH_BYTES = 64 * 1024 * 1024
const BATCHES_IN_FLIGHT = 2
/** How long removing a failed batch's parts may take before we leave them to the next run. */
const CLEANUP_WAIT_MS = 3000

export interface FileFailure {
  file: string
  host: string
  failure: Failure
}

export interface HostDelivery {
  /** The project's data folder on the host. */
  root: string
  delivered: number
  bytes: number
  failures: FileFailure[]
}

export interface DeliveryContext {
  /** `<remote-root>/data/<project>` as the user wrote it (`~` allowed). */
  remotePath: string
  runId: string
  manifestPath: string
  keep: boolean
  signal: AbortSignal
  /** Numbers its batches across hosts, so parts and lists never share a name. */
  nextBatchNumber: () => number
  onBytes: (host: string, bytes: number) => void
  onFilesDone: (host: string, delivered: number, failures: FileFailure[]) => void
}

/**
 * Delivers one host's share: cleans parts left by interrupted runs, then sends batches (two in
 * flight), keeps only files whose md5 on the host's disk equals the local one, renames them into
 * place, records them, and only then deletes the local sources (unless `keep`).
 */
export async function deliverToHost(
  session: SshSession,
  files: DataFile[],
  context: DeliveryContext,
): Promise<HostDelivery> {
  const host = session.host.name
  const start = await session.exec(posixShell(`printf '%s\\n' "$HOME"`), {signal: context.signal})
  const home = start.stdout.trim()
  if (start.code !== 0 || !home.startsWith('/')) {
    throw new HostFailure(
      failure('remote-error', `${host}: cannot find the login home (${start.stderr.trim() || 'no $HOME'})`),
    )
  }

  const root = resolveRemotePath(context.remotePath, home)
  await session.exec(posixShell(cleanupPartsScript(root, context.runId)), {signal: context.signal})
  const delivery: HostDelivery = {root, delivered: 0, bytes: 0, failures: []}
  const limit = pLimit(BATCHES_IN_FLIGHT)
  await Promise.all(
    splitBatches(files).map(async (batch) =>
      limit(async () => {
        const outcome = await deliverBatch(session, batch, root, context).catch((error: unknown) => {
          if (!(error instanceof HostFailure)) throw error
          return {delivered: [], failures: batch.map((file) => ({file: file.rel, host, failure: error.failure}))}
        })
        delivery.delivered += outcome.delivered.length
        delivery.bytes += outcome.delivered.reduce((sum, record) => sum + record.size, 0)
        delivery.failures.push(...outcome.failures)
        context.onFilesDone(host, outcome.delivered.length, outcome.failures)
      }),
    ),
  )
  return delivery
}

/** Cuts a host's files into batches of at most BATCH_FILES files and about BATCH_BYTES bytes. */
export function splitBatches(files: DataFile[]): DataFile[][] {
  const batches: DataFile[][] = []
  let current: DataFile[] = []
  let bytes = 0
  for (const file of files) {
    if (current.length > 0 && (current.length >= BATCH_FILES || bytes + file.size > BATCH_BYTES)) {
      batches.push(current)
      current = []
      bytes = 0
    }

    current.push(file)
    bytes += file.size
  }

  if (current.length > 0) batches.push(current)
  return batches
}

async function deliverBatch(
  session: SshSession,
  batch: DataFile[],
  root: string,
  context: DeliveryContext,
): Promise<{delivered: ManifestRecord[]; failures: FileFailure[]}> {
  const host = session.host.name
  const batchNumber = context.nextBatchNumber()
  const items: BatchItem[] = batch.map((file, i) => ({
    file,
    part: partName(file.rel, context.runId, batchNumber * BATCH_FILES + i),
  }))
  const now = new Date().toISOString()
  appendManifest(
    context.manifestPath,
    batch.map((file) => ({event: 'assign', file: file.rel, host, size: file.size, time: now})),
  )
  let sent: SentItem[]
  try {
    sent = await sendBatch(session, items, {
      root,
      runId: context.runId,
      batchNumber,
      signal: context.signal,
      onBytes: (bytes) => context.onBytes(host, bytes),
    })
  } catch (error) {
    // Best effort, also after Ctrl-C while the connection is still open: the connection may be
    // gone, and the next run removes old parts anyway.
    const parts = [...items.map((item) => item.part), listName(context.runId, batchNumber)]
    await Promise.race([removeParts(session, root, parts).catch(() => undefined), sleep(CLEANUP_WAIT_MS)])
    throw error
  }

  const failures: FileFailure[] = []
  const verified: Array<{item: BatchItem; record: ManifestRecord}> = []
  for (const result of sent) {
    if (!result.sent) {
      failures.push({file: result.item.file.rel, host, failure: result.failure})
    } else if (result.remoteMd5 === result.localMd5) {
      const remote = posix.join(root, result.item.file.rel)
      const record: ManifestRecord = {
        event: 'done',
        file: result.item.file.rel,
        host,
        size: result.size,
        md5: result.localMd5,
        remote,
        time: new Date().toISOString(),
      }
      verified.push({item: result.item, record})
    } else {
      const found = result.remoteMd5 ?? 'nothing'
      failures.push({
        file: result.item.file.rel,
        host,
        failure: failure(
          'checksum-mismatch',
          `${result.item.file.rel}: md5 ${result.localMd5} here, ${found} on ${host}`,
        ),
      })
    }
  }

  const dropped = sent
    .filter((result) => !verified.some((v) => v.item === result.item))
    .map((result) => result.item.part)
  const renameFailed = await finalizeBatch(session, root, {
    renames: verified.map(({item}) => ({part: item.part, final: item.file.rel})),
    drops: dropped,
    manifest: formatRecords(verified.map(({record}) => record)),
  })
  const delivered = verified.filter(({item}) => !renameFailed.has(item.file.rel)).map(({record}) => record)
  for (const final of renameFailed) {
    failures.push({
      file: final,
      host,
      failure: failure('remote-error', `${final}: could not be renamed into place on ${host}`),
    })
  }

  appendManifest(context.manifestPath, delivered)
  if (!context.keep) {
    await Promise.all(
      verified
        .filter(({item}) => !renameFailed.has(item.file.rel))
        .map(async ({item}) => unlink(item.file.abs).catch(() => undefined)),
    )
  }

  return {delivered, failures}
}
