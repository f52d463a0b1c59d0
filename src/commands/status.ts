import {Flags} from '@oclif/core'

import type {StatusReport} from '../core/status/check-status.js'

import {DirectorCommand} from '../cli/base-command.js'
import {connectionFlags} from '../cli/flags.js'
import {makeColors} from '../cli/render/colors.js'
import {renderResources} from '../cli/render/resources.js'
import {renderNegotiated, renderStatus} from '../cli/render/status.js'
import {remoteRootFlag} from '../cli/task-flags.js'

export default class Status extends DirectorCommand<typeof Status> {
  static override description = 'Is every host up? Two ICMP pings and an SSH login per host, all hosts at once'
  static override examples = [
    '<%= config.bin %> status',
    '<%= config.bin %> status --no-icmp --limit "node[01-08]"',
    '<%= config.bin %> status --json',
    '<%= config.bin %> status --resources --no-icmp',
  ]
  static override flags = {
    ...connectionFlags,
    ...remoteRootFlag,
    resources: Flags.boolean({
      description:
        "also each host's cpus, load, memory, disk free under --remote-root and what director's tasks reserved",
    }),
    icmp: Flags.boolean({
      allowNo: true,
      default: true,
      description: 'ping each host (2 packets); --no-icmp judges hosts by the SSH login alone',
    }),
  }

  public async run(): Promise<StatusReport> {
    const inventory = this.loadInventory(this.flags)
    const {status} = await import('../api/status.js')
    const report = await status({
      ...this.fleetOptions(this.flags, inventory),
      icmp: this.flags.icmp,
      homes: this.flags.verbose,
      resources: this.flags.resources,
      remoteRoot: this.flags['remote-root'],
    })
    if (this.flags.verbose) for (const line of renderNegotiated(report)) this.logToStderr(line)
    for (const line of renderStatus(report, makeColors())) this.log(line)
    if (this.flags.resources) for (const line of renderResources(report)) this.log(line)
    this.setFailed(report.online < report.total)
    return report
  }
}
