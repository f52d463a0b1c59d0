import {homedir} from 'node:os'
import {isAbsolute, join} from 'node:path'
import SSHConfig from 'ssh-config'

import type {Host} from './host.js'
import type {InventoryEntry} from './parse-inventory.js'

import {located, UsageError} from '../errors.js'
import {parseJump} from './parse-jump.js'

export interface SshConfigContext {
  /** Text of the ssh_config file, or undefined when there is none. */
  text: string | undefined
  file: string
  localUser: string
  home?: string
}

type Computed = Record<string, string | string[] | undefined>

/**
 * Resolves inventory entries against ssh_config (HostName, User, Port, IdentityFile,
 * UserKnownHostsFile, ProxyJump). A value written in the inventory wins over ssh_config, which
 * wins over the defaults (port 22, the local user). `Match exec` is never run. A ProxyJump's
 * bastion is resolved through the same file, as OpenSSH does.
 */
export function applySshConfig(entries: InventoryEntry[], context: SshConfigContext): Host[] {
  const lookup = makeLookup(context)
  return entries.map((entry) => {
    const {host, proxyJump} = lookup(entry)
    if (proxyJump === undefined) return host
    const jump = bastionOf(proxyJump, located(context.file, undefined, `ProxyJump of ${entry.host}`), lookup)
    return jump === undefined ? host : {...host, jump}
  })
}

/**
 * The bastion `value` names (`-J`'s `[user@]host[:port]`, or `none`: undefined), resolved
 * through ssh_config as any host. `where` starts the message of a mistake (`--jump`).
 */
export function resolveJump(value: string, where: string, context: SshConfigContext): Host | undefined {
  return bastionOf(value, where, makeLookup(context))
}

type Lookup = (entry: InventoryEntry) => {host: Host; proxyJump: string | undefined}

function bastionOf(value: string, where: string, lookup: Lookup): Host | undefined {
  const fail = (message: string): never => {
    throw new UsageError(`${where}: ${message}`)
  }

  const entry = parseJump(value, fail)
  if (entry === undefined) return undefined
  // No inventory line lists a bastion.
  const {host, proxyJump} = lookup({...entry, line: 0})
  // `Host * / ProxyJump bastion` gives the bastion itself as its own jump: that one means none.
  const own = proxyJump === undefined ? undefined : parseJump(proxyJump, fail)
  if (own !== undefined && own.host !== entry.host)
    throw new UsageError(
      `${where}: bastion ${entry.name} has a ProxyJump of its own (${proxyJump}): multi-hop jumps are not supported`,
    )
  return host
}

function makeLookup(context: SshConfigContext): Lookup {
  const config = context.text === undefined ? undefined : SSHConfig.parse(context.text)
  const home = context.home ?? homedir()
  return (entry) => {
    const computed: Computed = config ? config.compute({Host: entry.host}, {ignoreCase: true, matchExec: false}) : {}
    const hostName = first(computed.hostname)
    const user = entry.user ?? first(computed.user)
    const port = entry.port ?? parsePort(first(computed.port), context.file, entry.host)
    const base = {h: entry.host, r: user ?? context.localUser, u: context.localUser, d: home}
    // In HostName, %h is the inventory name; in the file paths it is the resolved address.
    const address = hostName === undefined ? entry.host : expandTokens(hostName, base, home)
    const tokens = {...base, h: address}
    const host: Host = {
      name: entry.name,
      address,
      port: port ?? 22,
      user: user ?? context.localUser,
      identityFiles: list(computed.identityfile).map((path) => expandPath(path, tokens, home)),
      knownHostsFiles: list(computed.userknownhostsfile)
        .flatMap((value) => value.split(/\s+/))
        .map((path) => expandPath(path, tokens, home)),
      origin: {
        address: hostName === undefined ? 'inventory' : 'ssh_config',
        port: originOf(entry.port, first(computed.port)),
        user: originOf(entry.user, first(computed.user)),
      },
      ...(entry.resources === undefined ? {} : {resources: entry.resources}),
      line: entry.line,
    }
    return {host, proxyJump: first(computed.proxyjump)}
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}

function originOf(inventory: unknown, sshConfig: unknown): Host['origin']['user'] {
  if (inventory !== undefined) return 'inventory'
  return sshConfig === undefined ? 'default' : 'ssh_config'
}

function parsePort(value: string | undefined, file: string, host: string): number | undefined {
  if (value === undefined) return undefined
  const port = Number(value)
  if (!/^\d{1,5}$/.test(value) || port < 1 || port > 65_535) {
    throw new UsageError(located(file, undefined, `invalid Port "${value}" for host ${host}`))
  }

  return port
}

/** ssh_config's `%` tokens that make sense here: %h host, %r remote user, %u local user, %d home, %% percent. */
function expandTokens(value: string, tokens: Record<'d' | 'h' | 'r' | 'u', string>, home: string): string {
  const expanded = value.replaceAll(/%([%dhru])/g, (_, token: string) =>
    token === '%' ? '%' : tokens[token as keyof typeof tokens],
  )
  return expanded.startsWith('~/') ? join(home, expanded.slice(2)) : expanded
}

function expandPath(value: string, tokens: Record<'d' | 'h' | 'r' | 'u', string>, home: string): string {
  const path = expandTokens(value, tokens, home)
  return isAbsolute(path) ? path : join(home, '.ssh', path)
}
