import {homedir} from 'node:os'
import {isAbsolute, join} from 'node:path'
import SSHConfig from 'ssh-config'

import type {Host} from './host.js'
import type {InventoryEntry} from './parse-inventory.js'

import {located, UsageError} from '../errors.js'

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
 * UserKnownHostsFile). A value written in the inventory wins over ssh_config, which wins
 * over the defaults (port 22, the local user). `Match exec` is never run.
 */
export function applySshConfig(entries: InventoryEntry[], context: SshConfigContext): Host[] {
  const config = context.text === undefined ? undefined : SSHConfig.parse(context.text)
  const home = context.home ?? homedir()
  return entries.map((entry) => {
    const computed: Computed = config ? config.compute({Host: entry.host}, {ignoreCase: true, matchExec: false}) : {}
    const hostName = first(computed.hostname)
    const user = entry.user ?? first(computed.user)
    const port = entry.port ?? parsePort(first(computed.port), context.file, entry.host)
    const base = {h: entry.host, r: user ?? context.localUser, u: context.localUser, d: home}
    // In HostName, %h is the inventory name; in the file paths it is the resolved address.
    const address = hostName === undefined ? entry.host : expandTokens(hostName, base, home)
    const tokens = {...base, h: address}
    return {
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
  })
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
