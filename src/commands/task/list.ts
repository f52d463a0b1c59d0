import {Flags} from '@oclif/core'

import type {TaskListReport} from '../../core/tasks/types.js'

import {DirectorCommand} from '../../cli/base-command.js'
import {connectionFlags} from '../../cli/flags.js'
import {makeColors} from '../../cli/render/colors.js'
import {renderTaskList} from '../../cli/render/tasks.js'
import {taskFlags, taskOptionsOf} from '../../cli/task-flags.js'
import {parseTaskStates, RECENT_ENDED} from '../../core/tasks/task-history.js'

export default class TaskList extends DirectorCommand<typeof TaskList> {
  static override description = `List the tasks on the hosts: id, host, pid, state, uptime, exit code (or the signal of a killed task)
Shows every live task and the last ${RECENT_ENDED} ended ones (--all: every one). One exec per host reads every sandbox. States: staging, running, finished (exit 0), failed (non-zero exit or signal), killed (stopped by director), lost (host unreachable, or the process gone without an exit code).`
  static override examples = [
    '<%= config.bin %> task list',
    '<%= config.bin %> task list --project crawl --state running,failed',
    '<%= config.bin %> task list --all --json',
  ]
  static override flags = {
    ...connectionFlags,
    ...taskFlags,
    project: Flags.string({description: 'only the tasks of this project'}),
    state: Flags.string({description: 'only tasks in these states, comma-separated', helpValue: 'STATES'}),
    all: Flags.boolean({description: `every ended task, not only the last ${RECENT_ENDED}`}),
  }

  public async run(): Promise<TaskListReport> {
    const {flags} = this
    const states = flags.state === undefined ? undefined : parseTaskStates(flags.state)
    const inventory = this.loadInventory(flags)
    const {listTasks} = await import('../../api/tasks.js')
    const report = await listTasks({
      ...this.fleetOptions(flags, inventory),
      ...taskOptionsOf(flags),
      project: flags.project,
      states,
      all: flags.all,
    })
    for (const line of renderTaskList(report, makeColors())) this.log(line)
    this.setFailed(report.unreachable.length > 0)
    return report
  }
}
