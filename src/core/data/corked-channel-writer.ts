import type {ClientChannel} from 'ssh2'

import {Writable} from 'node:stream'

import type {SshSession} from '../ssh/session.js'

/**
 * The end of a send pipeline: writes each chunk into the SSH channel with the socket corked.
 * Its close is watched from the start: once closed, a channel neither drains nor closes again,
 * so a write that waits for room must learn of a close that happened before it.
 */
export class CorkedChannelWriter extends Writable {
  private channelClosed = false
  private waiting: ((error?: Error) => void) | undefined

  constructor(
    private readonly session: SshSession,
    private readonly channel: ClientChannel,
  ) {
    super()
    channel.once('close', () => {
      this.channelClosed = true
      this.waiting?.(new Error('the SSH channel closed'))
    })
    channel.on('drain', () => this.waiting?.())
  }

  override _write(chunk: Buffer, _encoding: string, done: (error?: Error | null) => void): void {
    if (this.channelClosed) {
      done(new Error('the SSH channel closed'))
      return
    }

    if (this.session.writeCorked(this.channel, chunk)) {
      done()
      return
    }

    this.waiting = (error) => {
      this.waiting = undefined
      done(error)
    }
  }

  override _final(done: (error?: Error | null) => void): void {
    if (this.channelClosed) {
      done(new Error('the SSH channel closed'))
      return
    }

    this.channel.end()
    done()
  }
}
