import type {ListReport} from '../core/local/list-local.js'

import {DirectorCommand} from '../cli/base-command.js'
import {portFilterOf, portsFilterFlag, stateDirFlag, stateDirOf} from '../cli/local-flags.js'
import {makeColors} from '../cli/render/colors.js'
import {renderList} from '../cli/render/local.js'
import {listLocal} from '../core/local/list-local.js'

export default class List extends DirectorCommand<typeof List> {
  static override description = `List the local echo services we started: pid, port, uptime, alive or stale (local mode)

Only the services of our state file are shown; "stale" means the recorded process is gone (or its pid now belongs to another program).`
  static override examples = ['<%= config.bin %> list', '<%= config.bin %> list --state-dir /tmp/director-state --json']
  static override flags = {...portsFilterFlag, ...stateDirFlag}

  public async run(): Promise<ListReport> {
    const report = listLocal({
      stateDir: stateDirOf(this.flags),
      ports: portFilterOf(this.flags, this.config.configDir),
    })
    for (const line of renderList(report, makeColors())) this.log(line)
    return report
  }
}
