import {existsSync, readFileSync} from 'node:fs'
import {homedir, userInfo} from 'node:os'
import {join, resolve} from 'node:path'

import type {Host} from './host.js'

import {UsageError} from '../errors.js'
import {applySshConfig, resolveJump} from './apply-ssh-config.js'
import {type ConfigFile, findConfigFile} from './find-config-file.js'
import {type InventoryGroup, parseInventory} from './parse-inventory.js'
import {selectHosts} from './select-hosts.js'

export interface LoadHostsOptions {
  /** `--clients FILE`. */
  clients?: string | undefined
  /** `--limit PATTERN`. */
  limit?: string | undefined
  /** `--ssh-config FILE`; default `$DIRECTOR_SSH_CONFIG`, then `~/.ssh/config` when it exists. */
  sshConfig?: string | undefined
  env: NodeJS.ProcessEnv
  cwd: string
  configDir: string
}

export interface Inventory {
  file: ConfigFile
  /** The ssh_config file read, if any. */
  sshConfigFile: string | undefined
  /** Every host of the inventory, in file order. */
  all: Host[]
  /** The hosts selected by `--limit`, in file order. */
  hosts: Host[]
  /** The `[name]` groups of the inventory, in file order, each with all of its hosts. */
  groups: InventoryGroup[]
}

/** Finds, reads and resolves the inventory. Throws a UsageError (nothing ran) on any mistake. */
export function loadHosts(options: LoadHostsOptions): Inventory {
  const file = findConfigFile({
    name: 'clients.conf',
    flag: '--clients',
    envVar: 'DIRECTOR_CLIENTS',
    explicit: options.clients,
    env: options.env,
    cwd: options.cwd,
    configDir: options.configDir,
  })
  return resolveInventory(readText(file.path), file, options)
}

/** The same from the text of an inventory (the library's `{text}` and `{hosts}`); `label` names it in messages. */
export function loadHostsFromText(text: string, label: string, options: Omit<LoadHostsOptions, 'clients'>): Inventory {
  return resolveInventory(text, {path: label, source: 'given'}, options)
}

function resolveInventory(text: string, file: ConfigFile, options: Omit<LoadHostsOptions, 'clients'>): Inventory {
  const {entries, groups} = parseInventory(text, file.path)
  const sshConfigFile = findSshConfig(options)
  const all = applySshConfig(entries, {
    text: sshConfigFile === undefined ? undefined : readText(sshConfigFile),
    file: sshConfigFile ?? 'ssh_config',
    localUser: userInfo().username,
  })
  const hosts = selectHosts(all, options.limit, {file: file.path, groups})
  return {file, sshConfigFile, all, hosts, groups}
}

/**
 * The inventory with one bastion for every host (`-J`), resolved through the same ssh_config,
 * in place of their ProxyJump; `none` takes every host's bastion away. Throws a UsageError.
 */
export function overrideJump(inventory: Inventory, value: string): Inventory {
  const {sshConfigFile} = inventory
  const jump = resolveJump(value, '--jump', {
    text: sshConfigFile === undefined ? undefined : readText(sshConfigFile),
    file: sshConfigFile ?? 'ssh_config',
    localUser: userInfo().username,
  })
  const through = (hosts: Host[]): Host[] => hosts.map((host) => ({...host, jump}))
  return {...inventory, all: through(inventory.all), hosts: through(inventory.hosts)}
}

function findSshConfig(options: Omit<LoadHostsOptions, 'clients'>): string | undefined {
  const named = options.sshConfig ?? (options.env.DIRECTOR_SSH_CONFIG || undefined)
  if (named !== undefined) {
    const path = resolve(options.cwd, named)
    if (!existsSync(path))
      throw new UsageError(`ssh config ${named}: no such file (--ssh-config / DIRECTOR_SSH_CONFIG)`)
    return path
  }

  const user = join(homedir(), '.ssh', 'config')
  return existsSync(user) ? user : undefined
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw new UsageError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }
}
