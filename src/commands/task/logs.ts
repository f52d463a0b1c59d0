import {Args, Flags} from '@oclif/core'

import type {LogsReport} from '../../core/tasks/types.js'

import {DirectorCommand} from '../../cli/base-command.js'
import {connectionFlags} from '../../cli/flags.js'
import {taskFlags, taskOptionsOf} from '../../cli/task-flags.js'

export default class TaskLogs extends DirectorCommand<typeof TaskLogs> {
  static override args = {id: Args.string({description: 'the task id', required: true})}
  static override description = `Print a task's stdout (or --stderr) from its sandbox; --follow keeps printing until the task ends or Ctrl-C`
  static override examples = [
    '<%= config.bin %> task logs t-20261123155001-4f2a',
    '<%= config.bin %> task logs t-20261123155001-4f2a --stderr --follow',
  ]
  static override flags = {
    ...connectionFlags,
    ...taskFlags,
    stderr: Flags.boolean({description: 'the task stderr instead of its stdout'}),
    follow: Flags.boolean({char: 'F', description: 'keep printing as the task writes, until it ends (Ctrl-C stops)'}),
  }

  public async run(): Promise<LogsReport> {
    const {args, flags} = this
    const inventory = this.loadInventory(flags)
    const {taskLogs} = await import('../../api/tasks.js')
    const quiet = this.jsonEnabled()
    return taskLogs({
      ...this.fleetOptions(flags, inventory),
      ...taskOptionsOf(flags),
      id: args.id,
      stream: flags.stderr ? 'stderr' : 'stdout',
      follow: flags.follow,
      onChunk(chunk) {
        if (!quiet) process.stdout.write(chunk)
      },
    })
  }
}
