/**
 * The line a `task logs` command prints before the log itself. A login shell's rc may print first
 * (a motd, a module system's notes: a "chatty" host); everything up to this line is dropped.
 */
export function logStartLine(id: string): string {
  return `director-log-start ${id}`
}

/** What a LogStartFilter passes on. */
export type OnChunk = (chunk: Buffer) => void

/**
 * Passes on what follows the first `marker` line of a stream, chunk by chunk (the marker may be
 * split over chunks). Until the marker is seen it holds what came before it (a few lines of rc
 * output); end() passes that on when the marker never came.
 */
export class LogStartFilter {
  private held: Buffer = Buffer.alloc(0)
  private started = false
  private readonly line: Buffer

  constructor(
    marker: string,
    private readonly onChunk: OnChunk,
  ) {
    this.line = Buffer.from(`${marker}\n`)
  }

  push(chunk: Buffer): void {
    if (this.started) {
      this.onChunk(chunk)
      return
    }

    this.held = Buffer.concat([this.held, chunk])
    let at = this.held.indexOf(this.line)
    // Only a whole line is the marker.
    while (at > 0 && this.held[at - 1] !== 0x0a) at = this.held.indexOf(this.line, at + 1)
    if (at === -1) return
    this.started = true
    const rest = this.held.subarray(at + this.line.length)
    this.held = Buffer.alloc(0)
    if (rest.length > 0) this.onChunk(rest)
  }

  end(): void {
    if (!this.started && this.held.length > 0) this.onChunk(this.held)
    this.held = Buffer.alloc(0)
  }
}
