import {Args} from '@oclif/core'

import type {RunOnFleetReport} from '../core/run/run-on-fleet.js'

import {DirectorCommand} from '../cli/base-command.js'
import {connectionFlags, runFlags} from '../cli/flags.js'
import {makeColors} from '../cli/render/colors.js'
import {renderGathered} from '../cli/render/gather.js'
import {makeLiveView} from '../cli/render/run-live-view.js'
import {renderFailedStderr} from '../cli/render/run-stderr.js'
import {renderRunSummary} from '../cli/render/run.js'

export default class Run extends DirectorCommand<typeof Run> {
  static override args = {
    script: Args.string({description: 'local script to upload and run on every host; its arguments follow'}),
  }
  static override description = `Run a script (or -c a command) on every host at once and bring every host's output back
Each host's stdout, stderr, exit_code, timing and the files the script wrote under its output/ folder land in <out>/<project>/<run id>/<host>/, with summary.json beside them. Arguments are passed literally. Exit code 0 only when every host exited 0.`
  static override examples = [
    '<%= config.bin %> run ./collect.sh --limit "node[01-08]"',
    "<%= config.bin %> run ./job.sh 'a b' '$HOME' --timeout 600 --project nightly",
    '<%= config.bin %> run --stream ./job.sh -- -n 3   # after --, every word goes to the script',
    "<%= config.bin %> run -c 'uptime' --gather",
    '<%= config.bin %> run -c "dmesg | tail -3" --stream',
    '<%= config.bin %> run --rerun failed --project nightly',
  ]
  static override flags = {
    ...connectionFlags,
    ...runFlags,
  }
  static override strict = false

  public async run(): Promise<RunOnFleetReport> {
    const inventory = this.loadInventory(this.flags)
    const {run} = await import('../api/run.js')
    const color = makeColors()
    const quiet = this.jsonEnabled() || this.flags.gather
    const mode = quiet ? 'quiet' : this.flags.stream ? 'stream' : 'progress'
    const view = makeLiveView({
      mode,
      color,
      stdout: process.stdout,
      stderr: process.stderr,
    })
    const {flags} = this
    const report = await run({
      ...this.fleetOptions(flags, inventory),
      script: this.args.script,
      args: this.positionals.slice(1),
      command: flags.command,
      rerun: flags.rerun,
      project: flags.project,
      remoteRoot: flags['remote-root'],
      keepRuns: flags['keep-runs'],
      outDir: flags.out,
      events: view.events,
    }).finally(() => view.close())
    if (flags.gather) for (const line of await renderGathered(report, color)) this.log(line)
    for (const line of renderRunSummary(report, color)) this.log(line)
    if (!flags.gather && !flags.stream) for (const line of renderFailedStderr(report, color)) this.log(line)
    this.setFailed(report.counts.ok < report.hosts.length)
    return report
  }
}
