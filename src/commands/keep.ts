import {Args, Flags} from '@oclif/core'

import type {KeepStopReport} from '../core/tasks/keep-state.js'
import type {RestartPolicy} from '../core/tasks/plan-reconcile.js'
import type {KeepReport} from '../core/tasks/types.js'

import {DirectorCommand} from '../cli/base-command.js'
import {connectionFlags, durationFlag} from '../cli/flags.js'
import {keepStoreFlags, projectFlag, resourceFlags, taskFlags, taskOptionsOf} from '../cli/task-flags.js'
import {UsageError} from '../core/errors.js'
import {DEFAULT_GRACE_SECONDS, DEFAULT_KEEP_INTERVAL_SECONDS} from '../core/tasks/task-defaults.js'

export default class Keep extends DirectorCommand<typeof Keep> {
  static override args = {
    count: Args.integer({description: 'how many tasks to keep running (not with --stop)', min: 0}),
    script: Args.string({description: 'local script to start; its arguments follow'}),
  }
  static override description = `Keep N tasks of a project running across the hosts, in the foreground
Every --interval it lists the project's tasks, replaces the failed and lost ones (and finished ones with --restart always) on another host when it can, and stops the excess. Ctrl-C (exit 130) or SIGTERM (exit 143) ends it, leaving the tasks running unless --stop-on-exit; so does a file named stop in <state dir>/projects/<project>/ (exit 0; the file is removed), where keep.log is written, or keep --stop.
With --store, every keep of a project campaigns for its leadership: one leads, the others stand by and take over within --lease seconds when it dies; the tasks are recorded in the store.`
  static override examples = [
    '<%= config.bin %> keep 4 ./worker.sh --project crawl --interval 15s',
    '<%= config.bin %> keep 4 ./worker.sh --project crawl --store etcd://10.0.0.5:2379 --lease 10',
    '<%= config.bin %> keep --stop --project crawl --store etcd://10.0.0.5:2379',
  ]
  static override flags = {
    ...connectionFlags,
    ...taskFlags,
    ...resourceFlags,
    command: Flags.string({char: 'c', description: 'an ad-hoc shell command instead of a script'}),
    project: projectFlag,
    interval: durationFlag({
      default: DEFAULT_KEEP_INTERVAL_SECONDS * 1000,
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
    ...keepStoreFlags,
  }
  static override strict = false

  public async run(): Promise<KeepReport | KeepStopReport> {
    const {args, flags} = this
    const {keep, stopKeep} = await import('../api/keep.js')
    if (flags.stop) {
      const report = await stopKeep({...taskOptionsOf(flags), project: flags.project})
      this.log(`asked every keep of ${report.project} to end (${report.where})`)
      return report
    }

    if (args.count === undefined) throw new UsageError('keep: give the count of tasks to keep (or --stop)')
    const inventory = this.loadInventory(flags)
    // Ended by the stop file: exit 0; by Ctrl-C or SIGTERM: the base command's 130 or 143.
    return keep({
      ...this.fleetOptions(flags, inventory),
      ...taskOptionsOf(flags),
      count: args.count,
      script: args.script,
      args: this.positionals.slice(2),
      command: flags.command,
      project: flags.project,
      restart: flags.restart as RestartPolicy,
      interval: flags.interval / 1000,
      grace: flags.grace / 1000,
      stopOnExit: flags['stop-on-exit'],
      cpus: flags.cpus,
      mem: flags.mem,
      pack: flags.pack,
      respectLoad: flags['respect-load'],
      hooks: {health: flags.health, init: flags.init, maintenance: flags.maintenance},
      hooksDir: flags.hooks,
      onLog: (line) => this.log(line),
      lease: flags.lease,
      storeTimeout: flags['store-timeout'] === undefined ? undefined : flags['store-timeout'] / 1000,
    })
  }
}
