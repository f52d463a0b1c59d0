import {Flags} from '@oclif/core'

import type {StateReport} from '../../core/tasks/keep-state.js'

import {DirectorCommand} from '../../cli/base-command.js'
import {makeColors} from '../../cli/render/colors.js'
import {renderState} from '../../cli/render/state.js'
import {storeFlag} from '../../cli/task-flags.js'

export default class State extends DirectorCommand<typeof State> {
  static override description = `Show what the coordination store holds: per project the leader (id, since, lease left), the standbys, the desired count and the recorded tasks
Read from the store only: the hosts are not asked (director task list does that).`
  static override examples = [
    '<%= config.bin %> state --store etcd://127.0.0.1:2379',
    '<%= config.bin %> state --project crawl --json',
  ]
  static override flags = {
    ...storeFlag,
    project: Flags.string({description: 'only this project'}),
  }

  public async run(): Promise<StateReport> {
    const {flags} = this
    const {keepState} = await import('../../api/state.js')
    const report = await keepState({store: flags.store, project: flags.project})
    for (const line of renderState(report, makeColors())) this.log(line)
    return report
  }
}
