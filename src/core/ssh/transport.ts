import type {Duplex} from 'node:stream'

import {connect as tcpConnect} from 'node:net'

import type {Host} from '../inventory/host.js'
import type {Bastion} from './jump-hosts.js'

/** The byte stream one host's SSH connection runs over, while it opens. */
export interface Transport {
  /** Resolves with the open stream, or with undefined once `failed` was told why there is none. */
  readonly opened: Promise<Duplex | undefined>
  /** Ends the stream, open or still opening. */
  destroy(): void
}

/**
 * TCP to the host with Nagle off (an exec round trip drops from ~47 ms to ~4 ms), or its
 * bastion's channel to it. `failed` hears the TCP error, or a HostFailure naming the bastion.
 */
export function openTransport(host: Host, via: Bastion | undefined, failed: (error: Error) => void): Transport {
  const settle = async (stream: Promise<Duplex>): Promise<Duplex | undefined> =>
    stream.catch((error: unknown) => {
      failed(error as Error)
      return undefined
    })
  if (via === undefined) {
    const socket = tcpConnect({host: host.address, port: host.port})
    socket.setNoDelay(true)
    const connected = new Promise<Duplex>((resolve, reject) => {
      socket.once('connect', () => resolve(socket))
      socket.once('error', reject)
    })
    return {opened: settle(connected), destroy: () => socket.destroy()}
  }

  let destroyed = false
  let channel: Duplex | undefined
  const forwarded = via.forward(host).then((opened) => {
    channel = opened
    if (destroyed) opened.destroy()
    return opened
  })
  return {
    opened: settle(forwarded),
    destroy() {
      destroyed = true
      channel?.destroy()
    },
  }
}
