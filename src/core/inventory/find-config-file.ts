import {existsSync, statSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {UsageError} from '../errors.js'

/** Where a config file was found; `given`: not a file, its text came from the library's caller. */
export type ConfigSource = 'config-dir' | 'env' | 'flag' | 'given' | 'working-dir'

export interface ConfigFile {
  path: string
  source: ConfigSource
}

export interface ConfigLookup {
  /** File name looked up in ./config and the user config dir, e.g. `clients.conf`. */
  name: string
  /** The flag that names the file explicitly, for messages, e.g. `--clients`. */
  flag: string
  /** The environment variable that names the file, e.g. `DIRECTOR_CLIENTS`. */
  envVar: string
  explicit?: string | undefined
  env: NodeJS.ProcessEnv
  cwd: string
  /** oclif's config dir (`~/.config/director`). */
  configDir: string
}

/**
 * Finds a config file in the documented order: the flag, the environment variable,
 * `./config/<name>`, then `<configDir>/<name>`. An explicitly named file must exist.
 */
export function findConfigFile(lookup: ConfigLookup): ConfigFile {
  const named: Array<[string | undefined, ConfigSource, string]> = [
    [lookup.explicit, 'flag', lookup.flag],
    [lookup.env[lookup.envVar] || undefined, 'env', lookup.envVar],
  ]
  for (const [value, source, label] of named) {
    if (value === undefined) continue
    const path = resolve(lookup.cwd, value)
    if (!isFile(path)) throw new UsageError(`${label} ${value}: no such file`)
    return {path, source}
  }

  const candidates: Array<[string, ConfigSource]> = [
    [join(lookup.cwd, 'config', lookup.name), 'working-dir'],
    [join(lookup.configDir, lookup.name), 'config-dir'],
  ]
  for (const [path, source] of candidates) if (isFile(path)) return {path, source}
  throw new UsageError(
    `no ${lookup.name} found: pass ${lookup.flag} FILE, set ${lookup.envVar}, or create ./config/${lookup.name} or ${candidates[1]?.[0]}`,
  )
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile()
}
