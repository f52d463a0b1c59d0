import {pipeline} from 'node:stream/promises'
import {setTimeout as sleep} from 'node:timers/promises'
import tar from 'tar-stream'

import type {ExitStatus, SshSession} from '../ssh/session.js'
import type {DataFile} from './scan-data-dir.js'

import {failure, type Failure, HostFailure} from '../host-result.js'
import {posixShell} from '../remote/shell-quote.js'
import {CoalesceChunks} from './coalesce-chunks.js'
import {CorkedChannelWriter} from './corked-channel-writer.js'
import {type FileSource, openSource, packSource, packWhole, type SentBytes} from './file-source.js'
import {listName, parseReceiveOutput, type PartOwner, receiveBatchScript} from './remote-commands.js'

export interface BatchItem {
  file: DataFile
  /** The temporary name on the host, beside the final one. */
  part: string
}

/** What became of one file of a batch: both md5s, or why it was not sent. */
export type SentItem =
  | {item: BatchItem; sent: true; size: number; mtimeMs: number; localMd5: string; remoteMd5: string | undefined}
  | {item: BatchItem; sent: false; failure: Failure}

export interface BatchOptions {
  /** `<remote-root>/data/<project>` as the user wrote it (`~` allowed). */
  remotePath: string
  staging: string
  /** On a host's first batch: remove the staging folders this host's other runs left. */
  cleanup?: PartOwner | undefined
  signal: AbortSignal
  /** Called with each chunk's size as files are read, for progress. */
  onBytes: (bytes: number) => void
}

/**
 * Sends a batch of files as ONE tar stream into ONE exec that unpacks them under temporary
 * names and hashes them from the host's disk. Each local file is read once: hashed while it is
 * sent. A file that vanished or cannot be read is left out of the batch, not a reason to stop.
 */
export async function sendBatch(
  session: SshSession,
  items: BatchItem[],
  options: BatchOptions,
): Promise<{home: string; sent: SentItem[]}> {
  const script = receiveBatchScript(options.remotePath, options.staging, options.cleanup)
  return session.command(posixShell(script), options.signal, async (remote) => {
    const pack = tar.pack()
    let stdout = ''
    let stderr = ''
    remote.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    remote.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 64 * 1024) stderr += chunk
    })
    const onAbort = (): void => {
      remote.close()
    }

    options.signal.addEventListener('abort', onAbort, {once: true})
    const sources = new ReadAhead(items, READ_AHEAD)
    try {
      // Settles with the stream's error instead of rejecting: it is awaited only after packing.
      const streamed = pipeline(pack, new CoalesceChunks(), new CorkedChannelWriter(remote)).then(
        () => undefined,
        (error: unknown) => error,
      )
      const packed: Array<(SentBytes & {item: BatchItem}) | {item: BatchItem; failure: Failure}> = []
      for (const [index, item] of items.entries()) {
        const source = await sources.take(index)
        packed.push(
          source.kind === 'failed'
            ? {item, failure: source.failure}
            : {item, ...(await packSource(pack, item.part, source, options.onBytes))},
        )
      }

      const parts = packed.filter((entry) => !('failure' in entry)).map((entry) => entry.item.part)
      const list = Buffer.from(parts.map((part) => `${part}\0`).join(''))
      const listed = packWhole(pack, {name: listName(options.staging), mode: 0o600}, list)
      pack.finalize()
      await listed
      const streamError = await streamed
      if (streamError !== undefined) throw streamError
      const exit = await remote.exit
      options.signal.throwIfAborted()
      if (exit?.code !== 0) throw new HostFailure(classifyReceiveFailure(session.host.name, exit, stderr))
      const {home, sums} = parseReceiveOutput(stdout)
      const sent = packed.map((entry): SentItem =>
        'failure' in entry
          ? {item: entry.item, sent: false, failure: entry.failure}
          : {
              item: entry.item,
              sent: true,
              size: entry.size,
              mtimeMs: entry.mtimeMs,
              localMd5: entry.md5,
              remoteMd5: sums.get(entry.item.part),
            },
      )
      return {home, sent}
    } catch (error) {
      remote.close()
      if (options.signal.aborted) throw abortFailure(options.signal)
      if (error instanceof HostFailure) throw error
      // The stream broke: the host's own words (disk full, ...) say why, if it is still there to say.
      const exit = await Promise.race([remote.exit, sleep(EXIT_WAIT_MS).then(() => undefined)])
      throw new HostFailure(classifyReceiveFailure(session.host.name, exit, stderr))
    } finally {
      options.signal.removeEventListener('abort', onAbort)
      await sources.closeRest()
    }
  })
}

/** Why a batch stopped when its signal fired: the host's deadline (timeout) or Ctrl-C. */
function abortFailure(signal: AbortSignal): HostFailure {
  const {reason} = signal
  return reason instanceof HostFailure
    ? reason
    : new HostFailure(failure('aborted', 'stopped by Ctrl-C: run the same command again to resume'))
}

/** How long a broken transfer waits for the host to say why before calling the connection lost. */
const EXIT_WAIT_MS = 3000

/** Files opened (small ones read: at most 8 x 256 KiB held) ahead of the one being sent. */
const READ_AHEAD = 8

/** Opens sources in order, at most `window` ahead of the one asked for; closes what is left. */
class ReadAhead {
  private readonly opened = new Map<number, Promise<FileSource>>()
  private next = 0

  constructor(
    private readonly items: BatchItem[],
    private readonly window: number,
  ) {}

  async take(index: number): Promise<FileSource> {
    for (; this.next < Math.min(this.items.length, index + this.window + 1); this.next++) {
      const item = this.items[this.next] as BatchItem
      this.opened.set(this.next, openSource(item.file))
    }

    const source = this.opened.get(index) as Promise<FileSource>
    this.opened.delete(index)
    return source
  }

  /** After a failed batch: close the large files opened but not sent. */
  async closeRest(): Promise<void> {
    const rest = await Promise.all(this.opened.values())
    this.opened.clear()
    await Promise.all(rest.map(async (source) => (source.kind === 'stream' ? source.handle.close() : undefined)))
  }
}

function classifyReceiveFailure(host: string, exit: ExitStatus, stderr: string): Failure {
  const reason = stderr.trim().split('\n').at(-1) ?? ''
  if (/no space left on device|disk quota exceeded/i.test(stderr))
    return failure('disk-full', `${host}: disk full: ${reason}`)
  if (exit === undefined || exit.code === null) {
    return failure(
      'connection-lost',
      `${host}: the transfer ended without an exit status (${exit?.signal ?? 'channel closed'})`,
    )
  }

  if (/tar: not found|md5sum: not found|xargs: not found|command not found/i.test(stderr)) {
    return failure('remote-error', `${host}: needs tar, xargs and GNU md5sum (-z): ${reason}`)
  }

  return failure('remote-error', `${host}: receiving failed (exit ${exit.code}): ${reason}`)
}
