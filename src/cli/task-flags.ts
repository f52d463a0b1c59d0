import {Flags} from '@oclif/core'

import {DEFAULT_PROJECT, DEFAULT_REMOTE_ROOT} from '../core/remote/remote-path.js'
import {parseCpus} from '../core/resources/resource-words.js'
import {parseSize} from '../core/size.js'
import {stateDirFlag} from './local-flags.js'

/** `--remote-root`: where director's files are on the hosts (tasks, bin, the resources file). */
export const remoteRootFlag = {
  'remote-root': Flags.string({
    default: DEFAULT_REMOTE_ROOT,
    description:
      'remote folder holding tasks/<host>/<task id>/ sandboxes, bin/<project>/<host>/ and the resources file',
    helpValue: 'DIR',
  }),
}

/** Flags of every `task` command (and `keep`). */
export const taskFlags = {...stateDirFlag, ...remoteRootFlag}

const cpusFlag = Flags.custom<number>({
  helpValue: 'N',
  async parse(input, _context, flag) {
    return parseCpus(input, `--${flag.name}`)
  },
})

const sizeFlag = Flags.custom<number>({
  helpValue: 'SIZE',
  async parse(input, _context, flag) {
    return parseSize(input, `--${flag.name}`)
  },
})

/** What each task asks for and how the offer round places it: `task start` and `keep`. */
export const resourceFlags = {
  cpus: cpusFlag({description: 'cpus per task (fractions allowed): placed only where that much is free'}),
  mem: sizeFlag({description: 'memory per task, e.g. 512M, 4G: placed only where that much is free'}),
  pack: Flags.boolean({description: 'with --cpus/--mem: fill the hosts in inventory order (default: roomiest first)'}),
  'respect-load': Flags.boolean({
    description: "with --cpus: count a host's 1-minute load as cpus in use when it is above what tasks reserved",
  }),
}

/** `--project` of the task commands that pick a project. */
export const projectFlag = Flags.string({default: DEFAULT_PROJECT, description: 'the project tasks are tagged with'})
