import {Flags} from '@oclif/core'

import type {Host} from '../core/inventory/host.js'

import {DirectorCommand} from '../cli/base-command.js'
import {inventoryFlags} from '../cli/flags.js'
import {renderHostGroups, renderHosts} from '../cli/render/hosts.js'
import {groupHosts, type HostGroups} from '../core/inventory/group-hosts.js'

export default class Hosts extends DirectorCommand<typeof Hosts> {
  static override description =
    'List the resolved targets (host, address, port, user and where each came from) without connecting'
  static override examples = [
    '<%= config.bin %> hosts',
    '<%= config.bin %> hosts --limit "node[01-04]"',
    '<%= config.bin %> hosts --groups',
    '<%= config.bin %> hosts --limit "@web,!@canary" --json',
  ]
  static override flags = {
    ...inventoryFlags,
    groups: Flags.boolean({description: 'list each [group] of clients.conf and its hosts instead'}),
  }

  public async run(): Promise<HostGroups & {file: string; hosts: Host[]}> {
    const inventory = this.loadInventory(this.flags)
    const grouped = groupHosts(inventory.groups, inventory.hosts)
    const lines = this.flags.groups ? renderHostGroups(grouped) : renderHosts(inventory.hosts)
    for (const line of lines) this.log(line)
    return {file: inventory.file.path, hosts: inventory.hosts, ...grouped}
  }
}
