import type {Duplex, Readable, Writable} from 'node:stream'
import type {ClientChannel} from 'ssh2'

/** How a remote command ended: its status or signal, or undefined when the channel closed without saying. */
export type ExitStatus = {code: number | null; signal: string | null} | undefined

/** Resolves once the channel has closed, with how its command ended. */
function recordExit(channel: ClientChannel): Promise<ExitStatus> {
  return new Promise((resolve) => {
    let exit: ExitStatus
    channel.once('exit', (code: number | null, signal?: string) => {
      exit = {code: signal ? null : code, signal: signal ?? null}
    })
    channel.once('close', () => resolve(exit))
  })
}

/** A command running on the host over one exec channel: what `SshSession.command` hands its user. */
export interface RemoteCommand {
  /** The command's stdin: end it to send EOF. */
  readonly stdin: Writable
  readonly stdout: Readable
  readonly stderr: Readable
  /** Resolves once the channel has closed, with how the command ended (undefined: it never said). */
  readonly exit: Promise<ExitStatus>
  /** Closes the channel: the command sees EOF and a broken pipe (sshd does not kill it). */
  close(): void
  /** Drops the channel at once, as if the connection had gone. */
  destroy(): void
  /**
   * Writes a large chunk to stdin with the socket corked: ssh2 sends it as many 32 KiB packets,
   * one write(2) each; corked, they leave in one writev(2) at the end of the tick.
   */
  writeCorked(chunk: Buffer): boolean
}

/**
 * The RemoteCommand of one exec channel of a session. Made as soon as the channel opens: a fast
 * command's exit status can arrive in the same read as the channel confirmation, and ssh2 emits
 * it before the caller's code runs, so the exit is listened for from the start.
 */
export class ChannelCommand implements RemoteCommand {
  readonly stdin: Writable
  readonly stdout: Readable
  readonly stderr: Readable
  readonly exit: Promise<ExitStatus>

  constructor(
    private readonly channel: ClientChannel,
    private readonly socket: Duplex,
  ) {
    this.stdin = channel
    this.stdout = channel
    this.stderr = channel.stderr
    this.exit = recordExit(channel)
  }

  close(): void {
    this.channel.close()
  }

  destroy(): void {
    this.channel.destroy()
  }

  writeCorked(chunk: Buffer): boolean {
    this.socket.cork()
    try {
      return this.channel.write(chunk)
    } finally {
      process.nextTick(() => this.socket.uncork())
    }
  }
}
