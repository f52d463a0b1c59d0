import type {PingReport} from '../core/local/ping-local.js'

import {DirectorCommand} from '../cli/base-command.js'
import {localTimeoutFlag, portsFlag, portsOf, stateDirFlag, stateDirOf} from '../cli/local-flags.js'
import {makeColors} from '../cli/render/colors.js'
import {renderPing} from '../cli/render/local.js'
import {pingLocal} from '../core/local/ping-local.js'

export default class Ping extends DirectorCommand<typeof Ping> {
  static override description = `Ping the local echo service of every port of port.conf (local mode)

Prints the reply and the round-trip time per port, or OFF with the reason (refused, timeout, ...). Exit code 1 when any port is OFF.`
  static override examples = [
    '<%= config.bin %> ping',
    '<%= config.bin %> ping --ports ./my-ports.conf --timeout 500ms',
    '<%= config.bin %> ping --json',
  ]
  static override flags = {
    ...portsFlag,
    ...stateDirFlag,
    ...localTimeoutFlag(3000, 'how long to wait for each connection and its reply'),
  }

  public async run(): Promise<PingReport> {
    const {ports} = portsOf(this.flags, this.config.configDir)
    const report = await pingLocal({
      ports: ports.map((p) => p.port),
      stateDir: stateDirOf(this.flags),
      timeoutMs: this.flags.timeout,
      signal: this.signal,
    })
    for (const line of renderPing(report, makeColors())) this.log(line)
    this.setFailed(report.results.some((r) => !r.ok))
    return report
  }
}
