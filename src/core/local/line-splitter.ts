/** What {@link LineSplitter.push} found in a chunk: complete lines, then maybe an oversize line. */
export interface SplitResult {
  lines: string[]
  /** Set when a line exceeded the limit: nothing after it on this connection is read. */
  oversize: boolean
}

/**
 * Cuts a byte stream into newline-delimited lines whatever the chunking: partial lines are
 * kept until their newline arrives, several lines per chunk are all returned. A trailing
 * `\r` is dropped. A line longer than `maxBytes` (newline excluded) is refused as soon as
 * it is known to be too long, so the buffer never grows past the limit plus one chunk.
 */
export class LineSplitter {
  private pending: Buffer[] = []
  private pendingBytes = 0

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): SplitResult {
    const lines: string[] = []
    let start = 0
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      if (this.pendingBytes + nl - start > this.maxBytes) return {lines, oversize: true}
      const piece = chunk.subarray(start, nl)
      const bytes = this.pendingBytes === 0 ? piece : Buffer.concat([...this.pending, piece])
      this.pending = []
      this.pendingBytes = 0
      const text = bytes.toString('utf8')
      lines.push(text.endsWith('\r') ? text.slice(0, -1) : text)
      start = nl + 1
    }

    const rest = chunk.subarray(start)
    if (this.pendingBytes + rest.length > this.maxBytes) return {lines, oversize: true}
    if (rest.length > 0) {
      this.pending.push(rest)
      this.pendingBytes += rest.length
    }

    return {lines, oversize: false}
  }
}
