import type {FanOutOptions} from '../core/fanout/run-on-hosts.js'
import type {Host} from '../core/inventory/host.js'
import type {Inventory} from '../core/inventory/load-hosts.js'
import type {ConnectOptions} from '../core/ssh/connect.js'
import type {HostKeyCheck} from '../core/ssh/host-key-policy.js'

import {checkOpenFiles, readOpenFilesLimit} from '../core/fanout/open-files.js'
import {overrideJump} from '../core/inventory/load-hosts.js'
import {makeConnectOptions} from '../core/ssh/connect-options.js'
import {FLEET_DEFAULTS} from './fleet-defaults.js'

/**
 * How every remote command reaches its hosts: the options of the CLI's shared flags, in
 * camelCase, times in seconds as the flags take them.
 */
export interface FleetOptions {
  /** The hosts to work on: `inventory.hosts` (after `limit`) of `loadInventory`. */
  inventory: Inventory
  /** Hosts worked on at once (`-f`); default 64. */
  concurrency?: number | undefined
  /** Seconds for the TCP connect, SSH handshake and login (`--connect-timeout`); default 10. */
  connectTimeout?: number | undefined
  /** Seconds the whole command may take per host (`--timeout`); default none. */
  timeout?: number | undefined
  /** Retries of a handshake the host dropped, with jittered backoff (`--retries`); default 2. */
  retries?: number | undefined
  /** Private key file (`-i`); default ssh-agent, ssh_config's IdentityFile, ~/.ssh/id_*. */
  identity?: string | undefined
  /** known_hosts file (`--known-hosts`); default ssh_config's UserKnownHostsFile, ~/.ssh/known_hosts. */
  knownHosts?: string | undefined
  /** `strict`, `accept-new` (default) or `off`; a changed key is refused unless `off`. */
  hostKeyCheck?: HostKeyCheck | undefined
  /**
   * The bastion of every host, `[user@]host[:port]` (`-J`), in place of ssh_config's ProxyJump;
   * `none`: every host direct. Default: each host's ProxyJump.
   */
  jump?: string | undefined
  /** Logins in flight through one bastion at once (`--jump-concurrency`); default 8. */
  jumpConcurrency?: number | undefined
  /** Ends the command early (as Ctrl-C does): sessions close and the report says what was done. */
  signal?: AbortSignal | undefined
  /** Where SSH_AUTH_SOCK is read from; default `process.env`. */
  env?: NodeJS.ProcessEnv | undefined
}

/** What a core entry takes: the selected hosts, the connection and the fan-out. */
export interface ResolvedFleet {
  hosts: Host[]
  all: Host[]
  connect: ConnectOptions
  fanOut: FanOutOptions
}

/**
 * Turns the options into what the core takes: keys and known_hosts are read once per command.
 * A fan-out the file descriptor limit (`ulimit -n`) cannot hold is a UsageError, before any login.
 * Whoever resolves the fleet closes its bastions (`connect.jumps.close()`): see withFleet.
 */
function resolveFleet(options: FleetOptions): ResolvedFleet {
  const connect = makeConnectOptions({
    connectTimeoutSeconds: options.connectTimeout ?? FLEET_DEFAULTS.connectTimeout,
    retries: options.retries ?? FLEET_DEFAULTS.retries,
    hostKeyCheck: options.hostKeyCheck ?? FLEET_DEFAULTS.hostKeyCheck,
    knownHostsFile: options.knownHosts,
    identity: options.identity,
    env: options.env ?? process.env,
    jumpConcurrency: options.jumpConcurrency ?? FLEET_DEFAULTS.jumpConcurrency,
    signal: options.signal,
  })
  const concurrency = options.concurrency ?? FLEET_DEFAULTS.concurrency
  checkOpenFiles(Math.min(concurrency, options.inventory.hosts.length), readOpenFilesLimit())
  const fanOut = {
    concurrency,
    signal: options.signal,
    timeoutMs: options.timeout === undefined ? undefined : options.timeout * 1000,
  }
  const inventory = options.jump === undefined ? options.inventory : overrideJump(options.inventory, options.jump)
  return {hosts: inventory.hosts, all: inventory.all, connect, fanOut}
}

/** Runs one command's work on the resolved fleet, then closes the bastion logins it opened, whatever happened. */
export async function withFleet<T>(options: FleetOptions, work: (fleet: ResolvedFleet) => Promise<T>): Promise<T> {
  const fleet = resolveFleet(options)
  try {
    return await work(fleet)
  } finally {
    fleet.connect.jumps.close()
  }
}
