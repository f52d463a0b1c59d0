import {Args, Flags} from '@oclif/core'

import type {StartReport} from '../../core/tasks/types.js'

import {DirectorCommand} from '../../cli/base-command.js'
import {connectionFlags} from '../../cli/flags.js'
import {makeColors} from '../../cli/render/colors.js'
import {renderStarted} from '../../cli/render/tasks.js'
import {projectFlag, resourceFlags, taskFlags, taskOptionsOf} from '../../cli/task-flags.js'

export default class TaskStart extends DirectorCommand<typeof TaskStart> {
  static override args = {
    script: Args.string({description: 'local script to upload and start; its arguments follow'}),
  }
  static override description = `Start a task: a process detached from SSH, in its own process group, on each host (or --count N spread over the hosts)
With --cpus/--mem, tasks go where that much is free (capacity: the inventory, <remote-root>/resources, or what the host reports; less what live tasks reserved); those that fit nowhere are not started (exit 1). Its sandbox <remote-root>/tasks/<host>/<task id>/ holds owner (the host's name, machine id and boot id), cmd, pid, start_time, stdout, stderr, started_at and, once it ends, exit_code. Arguments are passed literally.`
  static override examples = [
    '<%= config.bin %> task start ./worker.sh --count 6 --project crawl',
    "<%= config.bin %> task start -c 'sleep 600' --limit node01",
    '<%= config.bin %> task start ./train.sh --count 8 --cpus 2 --mem 4G',
  ]
  static override flags = {
    ...connectionFlags,
    ...taskFlags,
    ...resourceFlags,
    command: Flags.string({char: 'c', description: 'an ad-hoc shell command instead of a script'}),
    count: Flags.integer({
      description: 'tasks in all, spread over the hosts, fewest first (default: 1 per host)',
      min: 1,
    }),
    project: projectFlag,
  }
  static override strict = false

  public async run(): Promise<StartReport> {
    const {flags} = this
    const inventory = this.loadInventory(flags)
    const {startTasks} = await import('../../api/tasks.js')
    const report = await startTasks({
      ...this.fleetOptions(flags, inventory),
      ...taskOptionsOf(flags),
      script: this.args.script,
      args: this.positionals.slice(1),
      command: flags.command,
      project: flags.project,
      count: flags.count,
      cpus: flags.cpus,
      mem: flags.mem,
      pack: flags.pack,
      respectLoad: flags['respect-load'],
    })
    for (const line of renderStarted(report, makeColors())) this.log(line)
    this.setFailed(report.failed.length > 0 || report.unplaced.length > 0)
    return report
  }
}
