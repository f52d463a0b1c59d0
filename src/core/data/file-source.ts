import type tar from 'tar-stream'

import {createHash} from 'node:crypto'
import {type FileHandle, open} from 'node:fs/promises'
import {pipeline} from 'node:stream/promises'

import {failure, type Failure} from '../host-result.js'

/** Files up to this size are read whole, ahead of the tar stream; larger ones are streamed. */
export const WHOLE_READ_LIMIT = 256 * 1024

/** A local file opened for sending: read already (small) or ready to stream (large), or why not. */
export type FileSource =
  | {kind: 'whole'; data: Buffer; mtime: Date}
  | {kind: 'stream'; handle: FileHandle; size: number; mtime: Date}
  | {kind: 'failed'; failure: Failure}

/**
 * Opens a file for sending. Small files are read in one call: many of them can be read ahead,
 * in parallel, while earlier ones are on the wire. A vanished or unreadable file is a value.
 */
export async function openSource(path: string, rel: string): Promise<FileSource> {
  let handle: FileHandle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    const {code} = error as NodeJS.ErrnoException
    if (code === 'ENOENT') return {kind: 'failed', failure: failure('vanished', `${rel} vanished before it was sent`)}
    return {kind: 'failed', failure: failure('unreadable', `${rel} cannot be read (${code ?? String(error)})`)}
  }

  try {
    const {size, mtime} = await handle.stat()
    if (size > WHOLE_READ_LIMIT) return {kind: 'stream', handle, size, mtime}
    const data = await handle.readFile()
    await handle.close()
    return {kind: 'whole', data, mtime}
  } catch (error) {
    await handle.close()
    const {code} = error as NodeJS.ErrnoException
    return {kind: 'failed', failure: failure('unreadable', `${rel} cannot be read (${code ?? String(error)})`)}
  }
}

/**
 * Writes a source into the tar stream as one entry and returns its size and md5, computed from
 * the very bytes sent (one read of each file). A streamed file sends exactly the size it had when
 * opened, so a file that grows meanwhile cannot overrun its entry.
 */
export async function packSource(
  pack: tar.Pack,
  name: string,
  source: Exclude<FileSource, {kind: 'failed'}>,
  onBytes: (bytes: number) => void,
): Promise<{size: number; md5: string}> {
  const hash = createHash('md5')
  if (source.kind === 'whole') {
    hash.update(source.data)
    // The callback fires once the entry is through the pack, which waits for the channel to drain.
    await new Promise<void>((resolve, reject) => {
      pack.entry({name, size: source.data.length, mode: 0o644, mtime: source.mtime}, source.data, (error) =>
        error ? reject(error) : resolve(),
      )
    })
    onBytes(source.data.length)
    return {size: source.data.length, md5: hash.digest('hex')}
  }

  try {
    const entry = pack.entry({name, size: source.size, mode: 0o644, mtime: source.mtime})
    const stream = source.handle.createReadStream({
      highWaterMark: 1024 * 1024,
      autoClose: false,
      start: 0,
      end: source.size - 1,
    })
    stream.on('data', (chunk: Buffer | string) => {
      hash.update(chunk)
      onBytes(chunk.length)
    })
    await pipeline(stream, entry)
    return {size: source.size, md5: hash.digest('hex')}
  } finally {
    await source.handle.close()
  }
}
