import {Flags} from '@oclif/core'

import type {TaskListReport} from '../../core/tasks/list-tasks.js'

import {DirectorCommand} from '../../cli/base-command.js'
import {connectionFlags} from '../../cli/flags.js'
import {stateDirOf} from '../../cli/local-flags.js'
import {makeColors} from '../../cli/render/colors.js'
import {renderTaskList} from '../../cli/render/tasks.js'
import {taskFlags} from '../../cli/task-flags.js'
import {readTaskRecords} from '../../core/tasks/task-store.js'

export default class TaskList extends DirectorCommand<typeof TaskList> {
  static override description = `List the tasks on the hosts: id, host, pid, state, uptime, exit code
One exec per host reads every sandbox. States: staging, running, finished (exit 0), failed (non-zero exit or signal), killed (stopped by director), lost (host unreachable, or the process gone without an exit code).`
  static override examples = ['<%= config.bin %> task list', '<%= config.bin %> task list --project crawl --json']
  static override flags = {
    ...connectionFlags,
    ...taskFlags,
    project: Flags.string({description: 'only the tasks of this project'}),
  }

  public async run(): Promise<TaskListReport> {
    const {flags} = this
    const inventory = this.loadInventory(flags)
    const {listTasks} = await import('../../core/tasks/list-tasks.js')
    const report = await listTasks(inventory.hosts, readTaskRecords(stateDirOf(flags)), {
      connect: await this.connectOptions(flags),
      fanOut: this.fanOutOptions(flags),
      remoteRoot: flags['remote-root'],
      project: flags.project,
    })
    for (const line of renderTaskList(report, makeColors())) this.log(line)
    this.setFailed(report.unreachable.length > 0)
    return report
  }
}
