import {Args, Flags} from '@oclif/core'

import type {StopReport, StopSelection} from '../../core/tasks/types.js'

import {DirectorCommand} from '../../cli/base-command.js'
import {connectionFlags, durationFlag} from '../../cli/flags.js'
import {makeColors} from '../../cli/render/colors.js'
import {renderStopped} from '../../cli/render/tasks.js'
import {taskFlags, taskOptionsOf} from '../../cli/task-flags.js'
import {UsageError} from '../../core/errors.js'
import {DEFAULT_GRACE_SECONDS} from '../../core/tasks/task-defaults.js'

export default class TaskStop extends DirectorCommand<typeof TaskStop> {
  static override args = {id: Args.string({description: 'task ids (more may follow)'})}
  static override description = `Stop tasks: SIGTERM to the task's process group, SIGKILL after --grace
Nothing is signalled unless the sandbox is this host's (its owner: this name, machine and boot, checked on the host) and the recorded pid is still the task's process (same start time and group), so a reused pid or another machine's is never hit.`
  static override examples = [
    '<%= config.bin %> task stop t-20261123155001-4f2a',
    '<%= config.bin %> task stop --project crawl --grace 30s',
    '<%= config.bin %> task stop --all',
  ]
  static override flags = {
    ...connectionFlags,
    ...taskFlags,
    project: Flags.string({description: 'every running task of this project', exclusive: ['all']}),
    all: Flags.boolean({description: 'every running task'}),
    grace: durationFlag({
      allowZero: true,
      default: DEFAULT_GRACE_SECONDS * 1000,
      description: 'time between SIGTERM and SIGKILL, e.g. 10s (0: at once)',
    }),
  }
  static override strict = false

  public async run(): Promise<StopReport> {
    const {flags, positionals: ids} = this
    const chosen = [ids.length > 0, flags.project !== undefined, flags.all].filter(Boolean).length
    if (chosen !== 1) throw new UsageError('say which tasks: ids, --project P or --all (one of them)')
    const selection: StopSelection =
      ids.length > 0 ? {kind: 'ids', ids} : flags.all ? {kind: 'all'} : {kind: 'project', project: flags.project ?? ''}
    const inventory = this.loadInventory(flags)
    const {stopTasks} = await import('../../api/tasks.js')
    const report = await stopTasks({
      ...this.fleetOptions(flags, inventory),
      ...taskOptionsOf(flags),
      select: selection,
      grace: flags.grace / 1000,
    })
    for (const line of renderStopped(report, makeColors())) this.log(line)
    this.setFailed(report.notStopped > 0)
    return report
  }
}
