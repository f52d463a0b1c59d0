import {Args, Flags} from '@oclif/core'
import {join} from 'node:path'

import type {KeepReport} from '../core/tasks/keep-tasks.js'
import type {RestartPolicy} from '../core/tasks/plan-reconcile.js'

import {DirectorCommand} from '../cli/base-command.js'
import {connectionFlags, durationFlag} from '../cli/flags.js'
import {stateDirOf} from '../cli/local-flags.js'
import {projectFlag, taskFlags} from '../cli/task-flags.js'
import {DEFAULT_GRACE_SECONDS} from '../core/tasks/task-defaults.js'
import {taskWhat} from '../core/tasks/task-what.js'

export default class Keep extends DirectorCommand<typeof Keep> {
  static override args = {
    count: Args.integer({description: 'how many tasks to keep running', required: true, min: 0}),
    script: Args.string({description: 'local script to start; its arguments follow'}),
  }
  static override description = `Keep N tasks of a project running across the hosts, in the foreground
Every --interval it lists the project's tasks, replaces the failed and lost ones (and finished ones with --restart always) on another host when it can, and stops the excess. Ctrl-C (exit 130) or SIGTERM (exit 143) ends it, leaving the tasks running unless --stop-on-exit; so does a file named stop in <state dir>/projects/<project>/ (exit 0; the file is removed), where keep.log is written.`
  static override examples = ['<%= config.bin %> keep 4 ./worker.sh --project crawl --interval 15s']
  static override flags = {
    ...connectionFlags,
    ...taskFlags,
    command: Flags.string({char: 'c', description: 'an ad-hoc shell command instead of a script'}),
    project: projectFlag,
    interval: durationFlag({
      default: 15_000,
      description: 'time between two checks, e.g. 15s (a bare number is seconds)',
    }),
    restart: Flags.string({
      default: 'on-failure',
      description: 'replace tasks that',
      options: ['on-failure', 'always'],
    }),
    'stop-on-exit': Flags.boolean({description: 'stop the tasks when keep ends'}),
    grace: durationFlag({
      allowZero: true,
      default: DEFAULT_GRACE_SECONDS * 1000,
      description: 'time between SIGTERM and SIGKILL when stopping, e.g. 10s (0: at once)',
    }),
    health: Flags.string({
      description:
        'executable run on the host per running task each cycle, as <hook> <task id> <pid>; non-zero: the task is replaced',
      helpValue: 'FILE',
    }),
    init: Flags.string({description: 'executable run on each host once, before its first task', helpValue: 'FILE'}),
    maintenance: Flags.string({description: 'executable run here each cycle', helpValue: 'FILE'}),
    hooks: Flags.string({
      description: 'folder of hooks named health, init, maintenance (default: ./<project>/hooks)',
      helpValue: 'DIR',
    }),
  }
  static override strict = false

  public async run(): Promise<KeepReport> {
    const {args, flags} = this
    const inventory = this.loadInventory(flags)
    const {keepTasks} = await import('../core/tasks/keep-tasks.js')
    const {findHooks} = await import('../core/tasks/keep-hooks.js')
    const {withFleet} = await import('../api/fleet-options.js')
    const request = {
      what: taskWhat(args.script, this.positionals.slice(2), flags.command, process.cwd()),
      project: flags.project,
      remoteRoot: flags['remote-root'],
      stateDir: stateDirOf(flags),
      desired: {count: args.count, restart: flags.restart as RestartPolicy},
      intervalSeconds: flags.interval / 1000,
      stopOnExit: flags['stop-on-exit'],
      graceSeconds: flags.grace / 1000,
      hooks: findHooks(
        {health: flags.health, init: flags.init, maintenance: flags.maintenance},
        flags.hooks ?? join(flags.project, 'hooks'),
      ),
    }
    // Ended by the stop file: exit 0; by Ctrl-C or SIGTERM: the base command's 130 or 143.
    return withFleet(this.fleetOptions(flags, inventory), async ({hosts, connect, fanOut}) =>
      keepTasks(hosts, request, {
        connect,
        fanOut,
        remoteRoot: flags['remote-root'],
        signal: this.signal,
        onLog: (line) => this.log(line),
      }),
    )
  }
}
