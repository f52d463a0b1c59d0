import {Transform, type TransformCallback} from 'node:stream'

/**
 * Gathers small writes into chunks of about `size` bytes. A tar stream is many 512-byte headers
 * and small files; written to an SSH channel one by one, each would become its own packet
 * (measured 4x slower than writing 256 KiB at a time).
 */
export class CoalesceChunks extends Transform {
  private pending: Buffer[] = []
  private pendingBytes = 0

  constructor(private readonly size = 256 * 1024) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: string, done: TransformCallback): void {
    this.pending.push(chunk)
    this.pendingBytes += chunk.length
    if (this.pendingBytes >= this.size) this.release()
    done()
  }

  override _flush(done: TransformCallback): void {
    this.release()
    done()
  }

  private release(): void {
    if (this.pendingBytes === 0) return
    this.push(this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes))
    this.pending = []
    this.pendingBytes = 0
  }
}
