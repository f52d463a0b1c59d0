import {Writable} from 'node:stream'

import type {RemoteCommand} from '../ssh/session.js'

/**
 * The end of a send pipeline: writes each chunk into the command's stdin with the socket corked.
 * The close is watched from the start: once closed, a channel neither drains nor closes again,
 * so a write that waits for room must learn of a close that happened before it.
 */
export class CorkedChannelWriter extends Writable {
  private channelClosed = false
  private waiting: ((error?: Error) => void) | undefined

  constructor(private readonly remote: RemoteCommand) {
    super()
    remote.exit.then(
      () => this.onClose(),
      () => this.onClose(),
    )
    remote.stdin.on('drain', () => this.waiting?.())
  }

  override _write(chunk: Buffer, _encoding: string, done: (error?: Error | null) => void): void {
    if (this.channelClosed) {
      done(new Error('the SSH channel closed'))
      return
    }

    if (this.remote.writeCorked(chunk)) {
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

    this.remote.stdin.end()
    done()
  }

  private onClose(): void {
    this.channelClosed = true
    this.waiting?.(new Error('the SSH channel closed'))
  }
}
