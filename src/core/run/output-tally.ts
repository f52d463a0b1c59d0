import {createHash} from 'node:crypto'

/** Bytes of each stream kept for the report (`--json`, summary.json, the failed hosts' lines). */
export const HEAD_BYTES = 4096

/** What a stream printed, seen chunk by chunk: its size, its sha256 and its first HEAD_BYTES. */
export class OutputTally {
  bytes = 0
  private readonly hash = createHash('sha256')
  private readonly head: Buffer[] = []
  private headBytes = 0

  add(chunk: Buffer): void {
    this.bytes += chunk.length
    this.hash.update(chunk)
    if (this.headBytes >= HEAD_BYTES) return
    const part = chunk.subarray(0, HEAD_BYTES - this.headBytes)
    this.head.push(Buffer.from(part))
    this.headBytes += part.length
  }

  /** The sha256 (hex) and the head as text; a character the head cut in two is dropped. */
  finish(): {sha256: string; head: string} {
    return {sha256: this.hash.digest('hex'), head: wholeUtf8(Buffer.concat(this.head))}
  }
}

/** The text of a buffer whose end may split a UTF-8 sequence: the split sequence is left out. */
export function wholeUtf8(buffer: Buffer): string {
  let end = buffer.length
  // Back over at most 3 continuation bytes to the lead byte of the last sequence.
  let lead = end - 1
  const continues = (byte: number | undefined): boolean => byte !== undefined && byte >= 0x80 && byte < 0xc0
  while (lead > end - 4 && continues(buffer[lead])) lead--
  const byte = buffer[lead]
  if (byte !== undefined && byte >= 0xc0) {
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2
    if (end - lead < length) end = lead
  }

  return buffer.subarray(0, end).toString('utf8')
}
