/* eslint-disable unicorn/filename-case -- named exactly like the command id (STYLE.md) */
import {Flags} from '@oclif/core'

import type {StartReport} from '../core/local/types.js'

import {DirectorCommand} from '../cli/base-command.js'
import {localTimeoutFlag, portsFlag, portsOf, stateDirFlag, stateDirOf} from '../cli/local-flags.js'
import {makeColors} from '../cli/render/colors.js'
import {renderStart} from '../cli/render/local.js'
import {startLocal} from '../core/local/start-local.js'

export default class StartLocal extends DirectorCommand<typeof StartLocal> {
  static override hiddenAliases = ['start-local']
  static override description = `Start one echo service per port of port.conf on this machine (local mode)

Each service is detached (it outlives this command), recorded in the state file and pinged before it is reported started. A port that is already in use fails alone; a port that already runs one of our services is not started twice. The services have no authentication: keep them on 127.0.0.1.`
  static override examples = [
    '<%= config.bin %> start_local',
    '<%= config.bin %> start_local --ports ./my-ports.conf --json',
    '<%= config.bin %> start_local --foreground',
  ]
  static override flags = {
    ...portsFlag,
    ...stateDirFlag,
    host: Flags.string({default: '127.0.0.1', description: 'address to listen on (no authentication!)'}),
    foreground: Flags.boolean({description: 'serve in this terminal instead of detaching; Ctrl-C stops them'}),
    ...localTimeoutFlag(10_000, 'how long to wait for each service to listen, then to answer a ping'),
  }

  public async run(): Promise<StartReport> {
    const {ports} = portsOf(this.flags, this.config.configDir)
    const colors = makeColors()
    const print = (report: StartReport): void => {
      for (const line of renderStart(report, colors)) this.log(line)
    }

    const report = await startLocal({
      ports: ports.map((p) => p.port),
      host: this.flags.host,
      stateDir: stateDirOf(this.flags),
      timeoutMs: this.flags.timeout,
      ...(this.flags.foreground ? {foreground: {signal: this.signal, onStarted: print}} : {}),
    })
    if (!this.flags.foreground) print(report)
    this.setFailed(report.results.some((r) => !r.ok))
    return report
  }
}
