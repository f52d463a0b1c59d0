import type {ConnectOptions} from './connect.js'
import type {HostKeyCheck} from './host-key-policy.js'

import {KeyRing} from './identity.js'
import {KnownHostsStore} from './known-hosts-store.js'

export interface ConnectSettings {
  connectTimeoutSeconds: number
  retries: number
  hostKeyCheck: HostKeyCheck
  knownHostsFile?: string | undefined
  identity?: string | undefined
  env: NodeJS.ProcessEnv
}

/** Builds the options of one command's connections: keys read once, known_hosts read once. */
export function makeConnectOptions(settings: ConnectSettings): ConnectOptions {
  return {
    connectTimeoutMs: settings.connectTimeoutSeconds * 1000,
    retries: settings.retries,
    hostKeyCheck: settings.hostKeyCheck,
    knownHostsFile: settings.knownHostsFile,
    knownHosts: new KnownHostsStore(),
    keys: new KeyRing(settings.identity),
    agent: settings.env.SSH_AUTH_SOCK || undefined,
  }
}
