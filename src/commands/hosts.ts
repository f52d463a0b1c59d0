import type {Host} from '../core/inventory/host.js'

import {DirectorCommand} from '../cli/base-command.js'
import {inventoryFlags} from '../cli/flags.js'
import {renderHosts} from '../cli/render/hosts.js'

export default class Hosts extends DirectorCommand<typeof Hosts> {
  static override description =
    'List the resolved targets (host, address, port, user and where each came from) without connecting'
  static override examples = [
    '<%= config.bin %> hosts',
    '<%= config.bin %> hosts --limit "node[01-04]"',
    '<%= config.bin %> hosts --clients ./lab.conf --json',
  ]
  static override flags = {...inventoryFlags}

  public async run(): Promise<{file: string; hosts: Host[]}> {
    const inventory = this.loadInventory(this.flags)
    for (const line of renderHosts(inventory.hosts)) this.log(line)
    return {file: inventory.file.path, hosts: inventory.hosts}
  }
}
