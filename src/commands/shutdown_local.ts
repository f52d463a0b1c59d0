/* eslint-disable unicorn/filename-case -- named exactly like the command id (STYLE.md) */

import type {ShutdownReport} from '../core/local/shutdown-local.js'

import {DirectorCommand} from '../cli/base-command.js'
import {localTimeoutFlag, portFilterOf, portsFilterFlag, stateDirFlag, stateDirOf} from '../cli/local-flags.js'
import {makeColors} from '../cli/render/colors.js'
import {renderShutdown} from '../cli/render/local.js'
import {shutdownLocal} from '../core/local/shutdown-local.js'

export default class ShutdownLocal extends DirectorCommand<typeof ShutdownLocal> {
  static override hiddenAliases = ['shutdown-local']
  static override description = `Stop the local echo services recorded in the state file (local mode)

Sends "shutdown" to each and waits for it to exit; one that does not stop in time gets SIGTERM, but only after /proc shows that its pid still is our service. Stale records are removed. Running it again is harmless.`
  static override examples = [
    '<%= config.bin %> shutdown_local',
    '<%= config.bin %> shutdown_local --state-dir /tmp/director-state --json',
  ]
  static override flags = {
    ...portsFilterFlag,
    ...stateDirFlag,
    ...localTimeoutFlag(5000, 'how long to wait for the reply, then for the exit, then for the exit after SIGTERM'),
  }

  public async run(): Promise<ShutdownReport> {
    const report = await shutdownLocal({
      stateDir: stateDirOf(this.flags),
      ports: portFilterOf(this.flags, this.config.configDir),
      timeoutMs: this.flags.timeout,
    })
    for (const line of renderShutdown(report, makeColors())) this.log(line)
    this.setFailed(report.results.some((r) => !r.ok))
    return report
  }
}
