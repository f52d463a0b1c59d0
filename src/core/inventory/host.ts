import type {Resources} from '../resources/resource-words.js'

/** Where a host's setting came from, as `director hosts` shows it. */
export type SettingOrigin = 'default' | 'inventory' | 'ssh_config'

/** A resolved target: everything needed to connect, and where each value came from. */
export interface Host {
  /** The inventory name: shown in output, used for output folders. */
  name: string
  /** What to connect to: ssh_config's HostName, else the inventory host. */
  address: string
  port: number
  user: string
  /** Key files from ssh_config's IdentityFile, tried before the defaults. */
  identityFiles: string[]
  /** known_hosts files from ssh_config's UserKnownHostsFile; empty means the default. */
  knownHostsFiles: string[]
  origin: {address: SettingOrigin; port: SettingOrigin; user: SettingOrigin}
  /** Capacity declared on its inventory line (`node01 cpus=4 mem=8G`); it wins over the host's resources file. */
  resources?: Resources
  /** Line of the inventory file that listed this host (0 for a bastion, which no line lists). */
  line: number
  /** The bastion this host is reached through (ssh_config's ProxyJump, or `-J`); none when absent. */
  jump?: Host | undefined
}
