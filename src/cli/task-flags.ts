import {Flags} from '@oclif/core'

import {DEFAULT_PROJECT, DEFAULT_REMOTE_ROOT} from '../core/remote/remote-path.js'
import {parseCpus} from '../core/resources/resource-words.js'
import {parseSize} from '../core/size.js'
import {DEFAULT_LEASE_SECONDS} from '../core/tasks/task-defaults.js'
import {durationFlag} from './flags.js'
import {stateDirFlag, stateDirOf} from './local-flags.js'

/** `--store`: the coordination store (settings key `store`, $DIRECTOR_STORE); none: the local state dir. */
export const storeFlag = {
  store: Flags.string({
    description:
      'coordination store shared by controllers, etcd://host:port[,host:port...] (default: none, local state only)',
    helpValue: 'URL',
  }),
}

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
export const taskFlags = {...stateDirFlag, ...storeFlag, ...remoteRootFlag}

/** The library's task options from taskFlags: where the records and the tasks live. */
export function taskOptionsOf(flags: {
  'remote-root': string
  'state-dir'?: string | undefined
  store?: string | undefined
}): {
  remoteRoot: string
  stateDir: string
  store: string | undefined
} {
  return {remoteRoot: flags['remote-root'], stateDir: stateDirOf(flags), store: flags.store}
}

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
