import {readFileSync} from 'node:fs'
import {join, relative} from 'node:path'

import {UsageError} from '../errors.js'

/** What a settings key may hold, from the flag it gives a default to. */
export type SettingType = 'boolean' | 'value'

/** One settings file that was found and read. */
export interface SettingsFile {
  /** As shown in messages: relative to the working folder when inside it. */
  path: string
  values: Record<string, boolean | number | string>
}

/** `--connect-timeout` -> `connectTimeout`. */
export function settingKey(flagName: string): string {
  return flagName.replaceAll(/-([a-z\d])/g, (_, letter: string) => letter.toUpperCase())
}

/** `--connect-timeout` -> `DIRECTOR_CONNECT_TIMEOUT`. */
export function settingEnvVar(flagName: string): string {
  return `DIRECTOR_${flagName.toUpperCase().replaceAll('-', '_')}`
}

/** The settings files, lowest precedence first: the oclif config dir's, then ./config/director.json. */
export function settingsPaths(configDir: string, cwd: string): string[] {
  return [join(configDir, 'director.json'), join(cwd, 'config', 'director.json')]
}

/**
 * Reads a settings file: a JSON object whose keys are flag names in camelCase. A missing file is
 * undefined; bad JSON, an unknown key or a value of the wrong type is a UsageError naming the
 * file and the key. `known` maps each key to the type of its flag (in any command).
 */
export function readSettingsFile(
  path: string,
  known: ReadonlyMap<string, SettingType>,
  cwd: string,
): SettingsFile | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new UsageError(`${shown(path, cwd)}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`)
  }

  return checkSettings(shown(path, cwd), text, known)
}

/** Validates the text of a settings file (pure); `where` names it in messages. */
export function checkSettings(where: string, text: string, known: ReadonlyMap<string, SettingType>): SettingsFile {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new UsageError(`${where}: not valid JSON (${(error as Error).message})`)
  }

  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new UsageError(`${where}: must be a JSON object of settings, e.g. {"concurrency": 32}`)
  const values: SettingsFile['values'] = {}
  for (const [key, value] of Object.entries(parsed)) {
    const type = known.get(key)
    if (type === undefined) throw new UsageError(`${where}: unknown key "${key}" (keys are flag names in camelCase)`)
    const ok = type === 'boolean' ? typeof value === 'boolean' : typeof value === 'string' || typeof value === 'number'
    if (!ok)
      throw new UsageError(
        `${where}: key "${key}" must be ${type === 'boolean' ? 'true or false' : 'a string or number'}`,
      )
    values[key] = value as boolean | number | string
  }

  return {path: where, values}
}

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path)
  return rel.startsWith('..') ? path : rel
}
