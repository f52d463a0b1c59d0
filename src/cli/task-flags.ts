import {Flags} from '@oclif/core'

import {DEFAULT_PROJECT, DEFAULT_REMOTE_ROOT} from '../core/remote/remote-path.js'
import {DEFAULT_LEASE_SECONDS} from '../core/tasks/task-defaults.js'
import {durationFlag} from './flags.js'
import {stateDirFlag} from './local-flags.js'

/** `--store`: the coordination store (settings key `store`, $DIRECTOR_STORE); none: the local state dir. */
export const storeFlag = {
  store: Flags.string({
    description:
      'coordination store shared by controllers, etcd://host:port[,host:port...] (default: none, local state only)',
    helpValue: 'URL',
  }),
}

/** Flags of every `task` command (and `keep`). */
export const taskFlags = {
  ...stateDirFlag,
  ...storeFlag,
  'remote-root': Flags.string({
    default: DEFAULT_REMOTE_ROOT,
    description: 'remote folder holding tasks/<host>/<task id>/ sandboxes and bin/<project>/<host>/',
    helpValue: 'DIR',
  }),
}

/** `--project` of the task commands that pick a project. */
export const projectFlag = Flags.string({default: DEFAULT_PROJECT, description: 'the project tasks are tagged with'})

/** keep's flags for a store: its lease, how long to wait for the store at start, and --stop. */
export const keepStoreFlags = {
  lease: Flags.integer({
    default: DEFAULT_LEASE_SECONDS,
    helpValue: 'SECONDS',
    description: "with --store: seconds of the leader's lease; a dead leader is replaced after it",
    min: 1,
  }),
  'store-timeout': durationFlag({
    description: 'with --store: give up (exit 2) when the store has not answered this long at start (default: wait)',
  }),
  stop: Flags.boolean({
    description: 'end every keep of --project (with --store: leader and standbys; without: the stop file) and exit',
  }),
}
