import {Flags} from '@oclif/core'

import {FLEET_DEFAULTS} from '../api/fleet-defaults.js'
import {type DurationRules, parseDuration} from '../core/duration.js'
import {UsageError} from '../core/errors.js'
import {RERUN_STATES} from '../core/run/run-report.js'
import {RUN_DEFAULTS} from '../core/run/run-request.js'

/** The help value of every duration flag (also how `director config` knows one). */
export const DURATION_HELP = 'DURATION'

/**
 * A duration flag: `500ms`, `30s`, `1m30s` or a bare number of seconds, parsed by the one parser
 * into milliseconds (also from settings files and DIRECTOR_* variables). `maxBareSeconds` and
 * `formerUnit` catch numbers written in a unit the flag used to take. Zero is refused unless
 * `allowZero` (a grace of 0 is an immediate SIGKILL).
 */
export const durationFlag = Flags.custom<number, DurationRules>({
  helpValue: DURATION_HELP,
  async parse(input, _context, flag) {
    const ms = parseDuration(input, `--${flag.name}`, flag)
    if (ms <= 0 && !flag.allowZero)
      throw new UsageError(`--${flag.name}: "${input}" is no time at all: give a duration above 0, e.g. 30s`)
    return ms
  },
})

/** Flags of every command that reads clients.conf. */
export const inventoryFlags = {
  clients: Flags.string({
    description: 'inventory file (default: $DIRECTOR_CLIENTS, ./config/clients.conf, ~/.config/director/clients.conf)',
    helpValue: 'FILE',
  }),
  limit: Flags.string({
    char: 'l',
    description:
      'only hosts matching these comma-separated globs, ranges or @groups, e.g. "node[01-04],@web" ("!" excludes)',
    helpValue: 'PATTERN',
  }),
  'ssh-config': Flags.string({
    description: 'ssh_config file for HostName/User/Port/IdentityFile (default: $DIRECTOR_SSH_CONFIG, ~/.ssh/config)',
    helpValue: 'FILE',
  }),
  verbose: Flags.boolean({char: 'v', description: 'say which files were read and what was negotiated'}),
}

/** Flags of every command that logs in to the hosts. */
export const connectionFlags = {
  ...inventoryFlags,
  concurrency: Flags.integer({
    char: 'f',
    default: FLEET_DEFAULTS.concurrency,
    description: 'how many hosts to work on at once (fan-out)',
    min: 1,
    max: 4096,
  }),
  'connect-timeout': durationFlag({
    default: FLEET_DEFAULTS.connectTimeout * 1000,
    description: 'TCP connect, SSH handshake and login, e.g. 10s (a bare number is seconds)',
  }),
  timeout: durationFlag({
    description: 'the whole command per host, e.g. 10m (default: none; a bare number is seconds)',
  }),
  retries: Flags.integer({
    default: FLEET_DEFAULTS.retries,
    description: 'retries of a handshake that the host dropped (sshd MaxStartups), with jittered backoff',
    min: 0,
    max: 10,
  }),
  identity: Flags.string({
    char: 'i',
    description: 'private key file (default: ssh-agent, ssh_config IdentityFile, ~/.ssh/id_ed25519, id_ecdsa, id_rsa)',
    helpValue: 'FILE',
  }),
  'known-hosts': Flags.string({
    description: 'known_hosts file (default: ssh_config UserKnownHostsFile, ~/.ssh/known_hosts)',
    helpValue: 'FILE',
  }),
  jump: Flags.string({
    char: 'J',
    description:
      "reach every host through this bastion, as ssh -J: one login to it carries every host's connection (default: ssh_config ProxyJump; none: direct)",
    helpValue: '[USER@]HOST[:PORT]',
  }),
  'jump-concurrency': Flags.integer({
    default: FLEET_DEFAULTS.jumpConcurrency,
    description: 'logins in flight through one bastion at once; the other hosts queue for their turn',
    min: 1,
    max: 1024,
  }),
  'host-key-check': Flags.string({
    default: FLEET_DEFAULTS.hostKeyCheck,
    description:
      'strict: only known keys; accept-new: record unknown hosts; off: no check. A changed key is always refused unless off.',
    options: ['strict', 'accept-new', 'off'],
  }),
}

/** Flags of `director run`. */
export const runFlags = {
  command: Flags.string({char: 'c', description: 'an ad-hoc shell command instead of a script (no upload)'}),
  project: Flags.string({
    default: RUN_DEFAULTS.project,
    description: 'groups runs: local folder <out>/<project>, remote folder run/<project>',
  }),
  'keep-runs': Flags.integer({
    default: RUN_DEFAULTS.keepRuns,
    description: 'run folders of the project each host keeps under run/<project> (older ones are removed)',
    min: 1,
  }),
  out: Flags.string({default: RUN_DEFAULTS.outDir, description: 'local base folder of run outputs', helpValue: 'DIR'}),
  'remote-root': Flags.string({
    default: RUN_DEFAULTS.remoteRoot,
    description: 'remote folder holding run/<project>/<run id>/<host>/',
    helpValue: 'DIR',
  }),
  stream: Flags.boolean({
    description: 'print lines as they arrive, "host: " prefixed ("host!: " for stderr)',
    exclusive: ['gather'],
  }),
  gather: Flags.boolean({char: 'b', description: 'at the end, fold hosts with identical output into one block'}),
  rerun: Flags.option({
    description: "repeat the project's last run on the hosts that ended this way",
    options: RERUN_STATES,
  })(),
}
