/** What {@link LineSplitter.push} found in a chunk: complete lines, then maybe an oversize line. */
export interface SplitResult {
  lines: string[]
  /** With `refuse`: a line exceeded the limit, and nothing after it is to be read. */
  oversize: boolean
}

/**
 * The one splitter of byte streams into newline-delimited lines, whatever the chunking: partial
 * lines wait for their newline, several lines per chunk all come out, a trailing `\r` is dropped.
 * A line longer than `maxBytes` (newline excluded) is, with `refuse` (a protocol: the echo
 * service), refused as soon as it is known to be too long; with `split` (a host's output shown
 * pdsh style), cut into pieces of `maxBytes`. Either way the buffer never grows past the limit
 * plus one chunk.
 */
export class LineSplitter {
  private pending: Buffer[] = []
  private pendingBytes = 0

  constructor(
    private readonly maxBytes: number,
    private readonly oversize: 'refuse' | 'split' = 'refuse',
  ) {}

  push(chunk: Buffer): SplitResult {
    const lines: string[] = []
    let start = 0
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      if (this.pendingBytes + nl - start > this.maxBytes && this.oversize === 'refuse') return {lines, oversize: true}
      lines.push(...this.cut(this.take(chunk.subarray(start, nl))))
      start = nl + 1
    }

    const rest = chunk.subarray(start)
    if (this.pendingBytes + rest.length > this.maxBytes) {
      if (this.oversize === 'refuse') return {lines, oversize: true}
      const whole = this.take(rest)
      const fit = whole.length - (whole.length % this.maxBytes)
      lines.push(...this.cut(whole.subarray(0, fit)))
      this.keep(whole.subarray(fit))
    } else {
      this.keep(rest)
    }

    return {lines, oversize: false}
  }

  /** What is left of the last line (no newline came), if anything. */
  flush(): string[] {
    const rest = this.take(Buffer.alloc(0))
    return rest.length === 0 ? [] : [text(rest)]
  }

  /** The pending bytes and `piece`, as one buffer; nothing is pending afterwards. */
  private take(piece: Buffer): Buffer {
    const bytes = this.pendingBytes === 0 ? piece : Buffer.concat([...this.pending, piece])
    this.pending = []
    this.pendingBytes = 0
    return bytes
  }

  private keep(rest: Buffer): void {
    if (rest.length === 0) return
    this.pending.push(Buffer.from(rest))
    this.pendingBytes += rest.length
  }

  /** A complete line, in pieces of at most maxBytes (only `split` lets one be longer). */
  private cut(line: Buffer): string[] {
    if (line.length <= this.maxBytes) return [text(line)]
    const pieces: string[] = []
    for (let at = 0; at < line.length; at += this.maxBytes) pieces.push(text(line.subarray(at, at + this.maxBytes)))
    return pieces
  }
}

function text(bytes: Buffer): string {
  const line = bytes.toString('utf8')
  return line.endsWith('\r') ? line.slice(0, -1) : line
}
