import type {Hook} from '@oclif/core'

import {ExitCode} from '../cli/exit-codes.js'
import {unknownCommandMessage} from '../cli/unknown-command.js'

/** A mistyped command is a usage error like any other: one line (or the --json error document), exit 2. */
const hook: Hook.CommandNotFound = async function ({argv, config, id}) {
  const visible = config.commands.filter((command) => !command.hidden)
  const commands = [...new Set(visible.flatMap((command) => [command.id, ...command.aliases]))]
  const topics = config.topics.filter((topic) => !topic.hidden).map((topic) => topic.name)
  const message = unknownCommandMessage(id, {commands, topics}, config.bin, argv ?? [])
  process.exitCode = ExitCode.usage
  if (id === '--json' || argv?.includes('--json'))
    process.stdout.write(`${JSON.stringify({error: {kind: 'usage', message, exitCode: ExitCode.usage}}, null, 2)}\n`)
  else process.stderr.write(`Error: ${message}\n`)
}

export default hook
