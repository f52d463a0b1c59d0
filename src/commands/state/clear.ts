import {Flags} from '@oclif/core'

import type {ClearReport} from '../../core/tasks/keep-state.js'

import {DirectorCommand} from '../../cli/base-command.js'
import {renderCleared} from '../../cli/render/state.js'
import {storeFlag} from '../../cli/task-flags.js'

export default class StateClear extends DirectorCommand<typeof StateClear> {
  static override description = `Remove a project's keys from the coordination store (leader, spec, stop request, task records)
Refused while a controller holds the project's lease, unless --force. Never touches the tasks on the hosts.`
  static override examples = ['<%= config.bin %> state clear --project crawl --store etcd://127.0.0.1:2379']
  static override flags = {
    ...storeFlag,
    project: Flags.string({description: 'the project to clear', required: true}),
    force: Flags.boolean({description: 'clear even while a controller leads the project'}),
  }

  public async run(): Promise<ClearReport> {
    const {flags} = this
    const {clearState} = await import('../../api/state.js')
    const report = await clearState({store: flags.store, project: flags.project, force: flags.force})
    for (const line of renderCleared(report)) this.log(line)
    return report
  }
}
