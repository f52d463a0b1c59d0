import {Help} from '@oclif/core'

/**
 * oclif's help, but help on a command that does not exist (`director help stauts`) is answered
 * like the command itself would be: by the command_not_found hook, in one line with exit 2.
 */
export default class DirectorHelp extends Help {
  public override async showHelp(argv: string[]): Promise<void> {
    try {
      await super.showHelp(argv)
    } catch (error) {
      const subject = /^Command (\S+) not found\.$/.exec((error as Error).message)?.[1]
      if (subject === undefined) throw error
      await this.config.runHook('command_not_found', {argv: [], id: subject})
    }
  }
}
