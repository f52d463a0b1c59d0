import type {Duplex} from 'node:stream'
import type {Client, ClientChannel, SFTPWrapper} from 'ssh2'

import pLimit, {type LimitFunction} from 'p-limit'

import type {Host} from '../inventory/host.js'

import {failure, HostFailure} from '../host-result.js'
import {ChannelCommand, type RemoteCommand} from './remote-command.js'

export type {ExitStatus, RemoteCommand} from './remote-command.js'

/**
 * Channels one connection may have open at once. OpenSSH's MaxSessions defaults to 10 per
 * connection; 8 exec channels plus the one SFTP channel stay below it on any stock sshd.
 */
export const CHANNEL_BUDGET = 8

/** The algorithms ssh2 agreed on with the host, as its `handshake` event reports them. */
export interface Negotiated {
  kex: string
  serverHostKey: string
  cipher: string
}

export interface ExecResult {
  /** Exit status, or null when the remote process died of a signal. */
  code: number | null
  signal: string | null
  stdout: string
  stderr: string
}

export interface ExecOptions {
  signal?: AbortSignal | undefined
  /** Bytes written to the command's stdin, which is then closed. */
  stdin?: Buffer | string
  /** Output kept per stream; the rest is dropped (internal commands print little). */
  maxOutput?: number
}

/** One logged-in SSH connection to one host, shared by every step of one command. */
export class SshSession {
  private readonly channels: LimitFunction = pLimit(CHANNEL_BUDGET)
  private sftpChannel: Promise<SFTPWrapper> | undefined
  private lost: Error | undefined

  private readonly client: Client
  /** The TCP socket, or for a host behind a bastion the bastion's channel to it. */
  private readonly socket: Duplex
  readonly host: Host
  /** Milliseconds from TCP connect to a logged-in session. */
  readonly loginMs: number
  readonly negotiated: Negotiated

  constructor(connection: {client: Client; socket: Duplex; host: Host; loginMs: number; negotiated: Negotiated}) {
    this.client = connection.client
    this.socket = connection.socket
    this.host = connection.host
    this.loginMs = connection.loginMs
    this.negotiated = connection.negotiated
    this.client.on('error', (error) => {
      this.lost ??= error
    })
    this.client.on('close', () => {
      this.lost ??= new Error('connection closed')
    })
  }

  /** Runs a command (through the user's login shell, as sshd does) and collects its output. */
  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    return this.command(command, options.signal, async (remote) => collect(remote, options, this.host.name))
  }

  /**
   * Runs a command on the host and hands `use` its stdin, stdout, stderr and exit, holding one
   * of the connection's channel slots until `use` settles; then the channel is closed whatever
   * happened. The exit is recorded from the moment the channel opened.
   */
  async command<T>(
    command: string,
    signal: AbortSignal | undefined,
    use: (remote: RemoteCommand) => Promise<T>,
  ): Promise<T> {
    return this.withChannel(async () => {
      const remote = await this.openExec(command, signal)
      try {
        return await use(remote)
      } finally {
        remote.close()
      }
    })
  }

  /** Runs `fn` holding one of the connection's channel slots. */
  private async withChannel<T>(fn: () => Promise<T>): Promise<T> {
    return this.channels(fn)
  }

  /** Opens an exec channel (inside withChannel), its exit recorded from the start. */
  private async openExec(command: string, signal?: AbortSignal): Promise<ChannelCommand> {
    this.throwIfLost()
    signal?.throwIfAborted()
    return new Promise((resolve, reject) => {
      this.client.exec(command, (error, channel) => {
        if (error) {
          reject(new HostFailure(failure('protocol', `${this.host.name}: cannot open a channel: ${error.message}`)))
          return
        }

        resolve(new ChannelCommand(channel, this.socket))
      })
    })
  }

  /**
   * Opens a TCP connection from the host to `address:port` (a direct-tcpip channel, as `ssh -W`
   * does): how a bastion carries a target's connection. Rejects with ssh2's error, whose
   * message is the host's reason ("Connection refused").
   */
  async forward(address: string, port: number): Promise<ClientChannel> {
    this.throwIfLost()
    return new Promise((resolve, reject) => {
      this.client.forwardOut('127.0.0.1', 0, address, port, (error, channel) => {
        if (error) reject(error)
        else resolve(channel)
      })
    })
  }

  /** The connection's SFTP channel, opened on first use (and again if it closed). */
  async sftp(): Promise<SFTPWrapper> {
    this.throwIfLost()
    this.sftpChannel ??= new Promise((resolve, reject) => {
      this.client.sftp((error, sftp) => {
        if (error) {
          this.sftpChannel = undefined
          reject(new HostFailure(failure('protocol', `${this.host.name}: SFTP unavailable: ${error.message}`)))
          return
        }

        // Every call in flight listens for the close (see sftpCall).
        sftp.setMaxListeners(0)
        sftp.once('close', () => {
          closedSftp.add(sftp)
          this.sftpChannel = undefined
        })
        resolve(sftp)
      })
    })
    return this.sftpChannel
  }

  /**
   * One SFTP request that always settles: ssh2 never calls back a request made on, or pending
   * on, a channel that closed (a host that went away), so the close rejects it here.
   */
  async sftpCall<T>(run: (sftp: SFTPWrapper, done: (error?: Error | null, value?: T) => void) => void): Promise<T> {
    const sftp = await this.sftp()
    const lost = (): HostFailure =>
      new HostFailure(failure('connection-lost', `${this.host.name}: the SFTP channel closed`))
    return new Promise<T>((resolve, reject) => {
      if (closedSftp.has(sftp)) {
        reject(lost())
        return
      }

      const onClose = (): void => reject(lost())
      sftp.once('close', onClose)
      run(sftp, (error, value) => {
        sftp.off('close', onClose)
        if (error) reject(error)
        else resolve(value as T)
      })
    })
  }

  /** Ends the connection at once: everything waiting on it settles (used after Ctrl-C's grace). */
  destroy(): void {
    this.socket.destroy()
  }

  close(): void {
    this.client.end()
  }

  private throwIfLost(): void {
    if (this.lost)
      throw new HostFailure(failure('connection-lost', `${this.host.name}: connection lost (${this.lost.message})`))
  }
}

/** SFTP channels known to have closed: a request on them would never be answered. */
const closedSftp = new WeakSet<SFTPWrapper>()

async function collect(remote: RemoteCommand, options: ExecOptions, hostName: string): Promise<ExecResult> {
  const limit = options.maxOutput ?? 1024 * 1024
  const stdout = new BoundedBuffer(limit)
  const stderr = new BoundedBuffer(limit)
  remote.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
  remote.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
  if (options.stdin === undefined) remote.stdin.end()
  else remote.stdin.end(options.stdin)
  const signal = options.signal ?? new AbortController().signal
  const onAbort = (): void => {
    remote.close()
  }

  signal.addEventListener('abort', onAbort, {once: true})
  try {
    const exit = await remote.exit
    signal.throwIfAborted()
    if (exit === undefined)
      throw new HostFailure(failure('connection-lost', `${hostName}: the command ended without an exit status`))
    return {...exit, stdout: stdout.text(), stderr: stderr.text()}
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}

class BoundedBuffer {
  private readonly chunks: Buffer[] = []
  private size = 0

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    if (this.size >= this.limit) return
    const kept = chunk.subarray(0, this.limit - this.size)
    this.chunks.push(kept)
    this.size += kept.length
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8')
  }
}
