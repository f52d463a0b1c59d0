import {Flags} from '@oclif/core'

import type {PruneReport} from '../../core/tasks/types.js'

import {DirectorCommand} from '../../cli/base-command.js'
import {connectionFlags} from '../../cli/flags.js'
import {makeColors} from '../../cli/render/colors.js'
import {renderPruned} from '../../cli/render/tasks.js'
import {taskFlags, taskOptionsOf} from '../../cli/task-flags.js'
import {parseDuration} from '../../core/duration.js'

export default class TaskPrune extends DirectorCommand<typeof TaskPrune> {
  static override description = `Remove ended tasks: their sandboxes on the hosts and their local records
Only finished, failed, killed and lost tasks, never a running one; with --older-than, only those that ended that long ago.`
  static override examples = [
    '<%= config.bin %> task prune --older-than 7d',
    '<%= config.bin %> task prune --project crawl',
  ]
  static override flags = {
    ...connectionFlags,
    ...taskFlags,
    project: Flags.string({description: 'only the tasks of this project'}),
    'older-than': Flags.string({
      description: 'only tasks that ended at least this long ago: 30m, 12h, 7d',
      helpValue: 'DURATION',
    }),
  }

  public async run(): Promise<PruneReport> {
    const {flags} = this
    const olderThan = flags['older-than']
    const olderThanMs = olderThan === undefined ? 0 : parseDuration(olderThan, '--older-than')
    const inventory = this.loadInventory(flags)
    const {pruneTasks} = await import('../../api/tasks.js')
    const report = await pruneTasks({
      ...this.fleetOptions(flags, inventory),
      ...taskOptionsOf(flags),
      project: flags.project,
      olderThan: olderThanMs / 1000,
    })
    for (const line of renderPruned(report, makeColors())) this.log(line)
    this.setFailed(report.unreachable.length > 0)
    return report
  }
}
