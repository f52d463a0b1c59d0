import pLimit from 'p-limit'

import type {HostKeyCheck} from './host-key-policy.js'

import {type ConnectOptions, HANDSHAKE_CONCURRENCY} from './connect.js'
import {KeyRing} from './identity.js'
import {JumpHosts} from './jump-hosts.js'
import {KnownHostsStore} from './known-hosts-store.js'

export interface ConnectSettings {
  connectTimeoutSeconds: number
  retries: number
  hostKeyCheck: HostKeyCheck
  knownHostsFile?: string | undefined
  identity?: string | undefined
  env: NodeJS.ProcessEnv
  /** Logins in flight through one bastion at once (`--jump-concurrency`). */
  jumpConcurrency: number
  /** Ends a bastion login in progress (Ctrl-C). */
  signal?: AbortSignal | undefined
}

/**
 * Builds the options of one command's connections: keys read once, known_hosts read once, one
 * login per bastion (its owner calls `jumps.close()` at the end).
 */
export function makeConnectOptions(settings: ConnectSettings): ConnectOptions {
  return {
    connectTimeoutMs: settings.connectTimeoutSeconds * 1000,
    retries: settings.retries,
    hostKeyCheck: settings.hostKeyCheck,
    knownHostsFile: settings.knownHostsFile,
    knownHosts: new KnownHostsStore(),
    keys: new KeyRing(settings.identity),
    agent: settings.env.SSH_AUTH_SOCK || undefined,
    jumps: new JumpHosts(settings.jumpConcurrency, settings.signal),
    handshakes: pLimit(HANDSHAKE_CONCURRENCY),
  }
}
