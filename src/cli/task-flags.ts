import {Flags} from '@oclif/core'

import {DEFAULT_PROJECT, DEFAULT_REMOTE_ROOT} from '../core/remote/remote-path.js'
import {stateDirFlag} from './local-flags.js'

/** Flags of every `task` command (and `keep`). */
export const taskFlags = {
  ...stateDirFlag,
  'remote-root': Flags.string({
    default: DEFAULT_REMOTE_ROOT,
    description: 'remote folder holding tasks/<host>/<task id>/ sandboxes and bin/<project>/<host>/',
    helpValue: 'DIR',
  }),
}

/** `--project` of the task commands that pick a project. */
export const projectFlag = Flags.string({default: DEFAULT_PROJECT, description: 'the project tasks are tagged with'})
