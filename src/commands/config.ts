import type {EffectiveSetting} from '../cli/settings.js'

import {DirectorCommand} from '../cli/base-command.js'
import {formatTable} from '../cli/render/table.js'
import {effectiveSettings, readSettingsFiles} from '../cli/settings.js'

export default class Config extends DirectorCommand<typeof Config> {
  static override description = `Print every setting, its effective value and where it came from
Settings are the flags of any command, in camelCase, in config/director.json or director.json in the config dir; DIRECTOR_<FLAG_NAME> overrides a file, the command line overrides both.`
  static override examples = ['<%= config.bin %> config', 'DIRECTOR_CONCURRENCY=8 <%= config.bin %> config --json']

  public async run(): Promise<{settings: EffectiveSetting[]}> {
    const settings = effectiveSettings(
      this.config,
      readSettingsFiles(this.config, process.cwd()),
      process.env,
      process.cwd(),
    )
    const rows = settings.map((s) => [s.key, s.value === null ? '-' : String(s.value), s.source])
    for (const line of formatTable([['SETTING', 'VALUE', 'FROM'], ...rows])) this.log(line)
    return {settings}
  }
}
