import {homedir} from 'node:os'
import {join} from 'node:path'

import {type Inventory, loadHosts, loadHostsFromText} from '../core/inventory/load-hosts.js'

/** Where the hosts come from: exactly one of a file, the text of one, or a list of host lines. */
export type InventorySource =
  | {file: string; text?: never; hosts?: never}
  | {file?: never; text: string; hosts?: never}
  | {file?: never; text?: never; hosts: string[]}
  | {file?: never; text?: never; hosts?: never}

export type LoadInventoryOptions = InventorySource & {
  /** Only hosts matching these globs, ranges and `@groups` (`--limit`); `!` excludes. */
  limit?: string
  /** ssh_config for HostName/User/Port/IdentityFile; default `$DIRECTOR_SSH_CONFIG`, `~/.ssh/config`. */
  sshConfig?: string
  /** Default `process.env` (DIRECTOR_CLIENTS, DIRECTOR_SSH_CONFIG). */
  env?: NodeJS.ProcessEnv
  /** Folder relative paths are read from; default `process.cwd()`. */
  cwd?: string
}

/**
 * Loads the hosts as the CLI does: clients.conf syntax (one host per line, ranges, `[group]`
 * sections), ssh_config applied, `limit` selecting. With no source, the CLI's search order:
 * `$DIRECTOR_CLIENTS`, `./config/clients.conf`, `~/.config/director/clients.conf`. A mistake
 * throws a `UsageError` whose message names the file and line.
 */
export function loadInventory(options: LoadInventoryOptions = {}): Inventory {
  const env = options.env ?? process.env
  // Where oclif puts the CLI's config dir, so that both find the same clients.conf.
  const common = {
    limit: options.limit,
    sshConfig: options.sshConfig,
    env,
    cwd: options.cwd ?? process.cwd(),
    configDir: join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'director'),
  }
  if (options.text !== undefined) return loadHostsFromText(options.text, '<inventory text>', common)
  if (options.hosts !== undefined) return loadHostsFromText(options.hosts.join('\n'), '<host list>', common)
  return loadHosts({...common, clients: options.file})
}
