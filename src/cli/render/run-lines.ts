/**
 * Cuts each host's stream into whole lines as chunks arrive, pdsh style. A partial line waits
 * for its end, but never grows past `maxLine` bytes: a host printing without newlines is shown
 * in pieces instead of filling memory.
 */
export class LineSplitter {
  private readonly partial = new Map<string, Buffer>()

  constructor(private readonly maxLine = 64 * 1024) {}

  /** The complete lines in `chunk` for this key (host and stream), without their newlines. */
  push(key: string, chunk: Buffer): string[] {
    let data = Buffer.concat([this.partial.get(key) ?? Buffer.alloc(0), chunk])
    const lines: string[] = []
    for (let end = data.indexOf(10); end !== -1; end = data.indexOf(10)) {
      lines.push(data.subarray(0, end).toString('utf8'))
      data = data.subarray(end + 1)
    }

    while (data.length >= this.maxLine) {
      lines.push(data.subarray(0, this.maxLine).toString('utf8'))
      data = data.subarray(this.maxLine)
    }

    if (data.length > 0) this.partial.set(key, Buffer.from(data))
    else this.partial.delete(key)
    return lines
  }

  /** What is left of the key's last line (no trailing newline came), if anything. */
  flush(key: string): string[] {
    const rest = this.partial.get(key)
    this.partial.delete(key)
    return rest === undefined ? [] : [rest.toString('utf8')]
  }
}
