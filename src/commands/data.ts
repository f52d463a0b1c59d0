import {Args, Flags} from '@oclif/core'

import type {PlacementMode} from '../core/data/plan-placement.js'
import type {DataProgress, DataReport} from '../core/data/types.js'

import {DirectorCommand} from '../cli/base-command.js'
import {connectionFlags} from '../cli/flags.js'
import {makeColors} from '../cli/render/colors.js'
import {ProgressReporter} from '../cli/render/data-progress.js'
import {renderDataPlan, renderDataResult} from '../cli/render/data.js'
import {DATA_DEFAULTS} from '../core/data/data-defaults.js'
import {parseExtensions} from '../core/data/scan-data-dir.js'

export default class Data extends DirectorCommand<typeof Data> {
  static override args = {
    dir: Args.string({description: 'local folder of data files (walked recursively)', required: true}),
    project: Args.string({
      description: 'project name: files go to <remote-root>/data/<project>/ on the hosts',
      required: true,
    }),
  }
  static override description =
    'Spread a folder of data files across the hosts (each file to exactly one host), md5-verified on the host; a source is deleted only once its copy is verified'
  static override examples = [
    '<%= config.bin %> data ./tweets tweets',
    '<%= config.bin %> data ./tweets tweets --placement random --seed 42 --dry-run',
    '<%= config.bin %> data ./logs logs --ext log,json --keep',
  ]
  static override flags = {
    ...connectionFlags,
    placement: Flags.string({
      default: DATA_DEFAULTS.placement,
      description:
        'mod: the _<number> in a name picks host (n-1) mod N; random: uniform; auto: mod when every file has a number',
      options: ['auto', 'mod', 'random'],
    }),
    seed: Flags.integer({description: 'seed of --placement random, to repeat a placement'}),
    ext: Flags.string({
      description: `extensions to send, comma-separated (default: ${DATA_DEFAULTS.extensions.join(',')})`,
      exclusive: ['all'],
    }),
    all: Flags.boolean({description: 'send every regular file, whatever its extension'}),
    keep: Flags.boolean({description: 'keep the local sources after their copies are verified'}),
    replace: Flags.boolean({
      description:
        'send a new file that reuses the name of one delivered (and deleted) earlier, replacing the copy on its host',
    }),
    'dry-run': Flags.boolean({description: 'print the plan (files and bytes per host) and send nothing'}),
    'remote-root': Flags.string({
      default: DATA_DEFAULTS.remoteRoot,
      description: 'folder on the hosts under which data/<project>/ is written',
    }),
  }

  public async run(): Promise<DataReport> {
    const {args, flags} = this
    const inventory = this.loadInventory(flags)
    const {distributeData} = await import('../api/data.js')
    const progress = this.jsonEnabled() ? undefined : new ProgressReporter(process.stderr)
    try {
      const request = {
        ...args,
        // Without --ext or --all, the library's default extensions.
        extensions: flags.all ? ('all' as const) : flags.ext === undefined ? undefined : parseExtensions(flags.ext),
        placement: flags.placement as PlacementMode,
        seed: flags.seed,
        keep: flags.keep,
        replace: flags.replace,
        dryRun: flags['dry-run'],
        remoteRoot: flags['remote-root'],
      }
      const events = {
        onPlan: (plan: DataReport) => {
          for (const line of renderDataPlan(plan)) this.log(line)
        },
        onProgress: (update: DataProgress) => progress?.update(update),
      }
      const report = await distributeData({...this.fleetOptions(flags, inventory), ...request, events})
      progress?.stop()
      if (!report.dryRun) for (const line of renderDataResult(report, makeColors())) this.log(line)
      this.setFailed(report.undelivered.length > 0)
      return report
    } finally {
      progress?.stop()
    }
  }
}
