import {readFileSync} from 'node:fs'

import {UsageError} from '../errors.js'
import {type ConfigFile, findConfigFile} from '../inventory/find-config-file.js'
import {parsePorts, type PortEntry} from './parse-ports.js'

export interface LoadPortsOptions {
  /** `--ports FILE`. */
  ports?: string | undefined
  env: NodeJS.ProcessEnv
  cwd: string
  configDir: string
}

export interface PortList {
  file: ConfigFile
  ports: PortEntry[]
}

/**
 * Finds port.conf (`--ports`, `$DIRECTOR_PORTS`, `./config/port.conf`, the oclif config dir)
 * and parses it. Throws a UsageError (nothing ran) on any mistake.
 */
export function loadPorts(options: LoadPortsOptions): PortList {
  const file = findConfigFile({
    name: 'port.conf',
    flag: '--ports',
    envVar: 'DIRECTOR_PORTS',
    explicit: options.ports,
    env: options.env,
    cwd: options.cwd,
    configDir: options.configDir,
  })
  let text: string
  try {
    text = readFileSync(file.path, 'utf8')
  } catch (error) {
    throw new UsageError(`${file.path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }

  return {file, ports: parsePorts(text, file.path)}
}
