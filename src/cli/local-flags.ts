import {Flags} from '@oclif/core'

import {loadPorts, type PortList} from '../core/local/load-ports.js'
import {resolveStateDir} from '../core/local/state-file.js'
import {durationFlag} from './flags.js'

/** `--state-dir`: director's local state (local services, task records, keep logs), one place for all. */
export const stateDirFlag = {
  'state-dir': Flags.string({
    description:
      "director's local state: local services and their logs, task records, keep logs (default: $XDG_STATE_HOME/director, ~/.local/state/director)",
    helpValue: 'DIR',
  }),
}

/** `--ports`: the port.conf to read. */
export const portsFlag = {
  ports: Flags.string({
    description: 'port list (default: $DIRECTOR_PORTS, ./config/port.conf, ~/.config/director/port.conf)',
    helpValue: 'FILE',
  }),
}

/** The state dir the flags name, resolved against the environment. */
export function stateDirOf(flags: {'state-dir'?: string | undefined}): string {
  return resolveStateDir(flags['state-dir'], process.env, process.cwd())
}

/** `--ports` of list and shutdown_local: a filter, not a default lookup. */
export const portsFilterFlag = {
  ports: Flags.string({
    description: 'only the services on the ports of this file (default: every service of the state file)',
    helpValue: 'FILE',
  }),
}

/** The ports that `--ports FILE` names, or undefined (every service) without the flag. */
export function portFilterOf(flags: {ports?: string | undefined}, configDir: string): number[] | undefined {
  return flags.ports === undefined ? undefined : portsOf(flags, configDir).ports.map((p) => p.port)
}

/** Finds and parses port.conf as `--ports` / DIRECTOR_PORTS say. */
export function portsOf(flags: {ports?: string | undefined}, configDir: string): PortList {
  return loadPorts({ports: flags.ports, env: process.env, cwd: process.cwd(), configDir})
}

/**
 * `--timeout` of the local-mode commands: a duration like every other (`500ms`, `3s`). It was
 * milliseconds before; a bare number above a minute is surely one of those, and is refused with
 * the new form rather than waited for.
 */
export function localTimeoutFlag(defaultMs: number, description: string) {
  return {
    timeout: durationFlag({
      default: defaultMs,
      description: `${description}, e.g. 3s or 500ms`,
      maxBareSeconds: 60,
      formerUnit: 'milliseconds',
    }),
  }
}
