import {Args, Flags} from '@oclif/core'

import type {MkdirReport} from '../core/mkdir/mkdir-on-hosts.js'

import {DirectorCommand} from '../cli/base-command.js'
import {connectionFlags} from '../cli/flags.js'
import {makeColors} from '../cli/render/colors.js'
import {renderMkdir} from '../cli/render/mkdir.js'

export default class Mkdir extends DirectorCommand<typeof Mkdir> {
  static override args = {
    path: Args.string({
      description: 'parent folder on each host (~ and relative paths are in the login home)',
      required: true,
    }),
    dirName: Args.string({description: 'name of the folder to create in it', required: true}),
  }
  static override description = 'Create <path>/<dirName> on every host at once, over SFTP (names are taken literally)'
  static override examples = [
    '<%= config.bin %> mkdir ~ results',
    '<%= config.bin %> mkdir /srv/data "run 2026-11-23" --parents',
    '<%= config.bin %> mkdir ~/work tmp --limit "node[01-04]" --json',
  ]
  static override flags = {
    ...connectionFlags,
    parents: Flags.boolean({char: 'p', description: 'create <path> too when it is missing (like mkdir -p)'}),
  }

  public async run(): Promise<MkdirReport> {
    const inventory = this.loadInventory(this.flags)
    const {mkdir} = await import('../api/mkdir.js')
    const {path, dirName} = this.args
    const report = await mkdir({
      ...this.fleetOptions(this.flags, inventory),
      path,
      dirName,
      parents: this.flags.parents,
    })
    for (const line of renderMkdir(report, makeColors())) this.log(line)
    this.setFailed(report.failed > 0)
    return report
  }
}
