import type {Command, Config, Interfaces} from '@oclif/core'

import {UsageError} from '../core/errors.js'
import {resolveStateDir} from '../core/local/state-file.js'
import {
  readSettingsFile,
  settingEnvVar,
  settingKey,
  type SettingsFile,
  settingsPaths,
  type SettingType,
} from '../core/settings/settings-file.js'
import {DURATION_HELP} from './flags.js'
import {formatDuration} from './render/units.js'

type AnyFlag = Interfaces.Flag<unknown>
type FlagMap = Record<string, AnyFlag>

/** Flags no settings file or environment sets: `stop` (keep --stop) and `force` (state clear) are acts, not settings. */
const NOT_SETTINGS = new Set(['force', 'help', 'json', 'stop', 'version'])
/** Flags whose DIRECTOR_* variable the inventory and port loaders already read (and report as the source). */
const ENV_READ_ELSEWHERE = new Set(['clients', 'ports', 'ssh-config'])

/** Settings whose value is a local path found at run time: `director config` shows the path they resolve to. */
const RESOLVED: Record<string, (value: string | undefined, env: NodeJS.ProcessEnv, cwd: string) => string> = {
  'state-dir': resolveStateDir,
}

/** One effective setting, as `director config` shows it. */
export interface EffectiveSetting {
  key: string
  flag: string
  value: boolean | number | string | null
  /** `default`, `$DIRECTOR_X`, or the settings file. */
  source: string
}

/** Every flag of director's own commands (not a plugin's, such as help's), but help, json and version. */
function settingFlags(config: Config): Array<[string, Config['commands'][number]['flags'][string]]> {
  return config.commands
    .filter((command) => command.pluginName === config.name)
    .flatMap((command) => Object.entries(command.flags))
    .filter(([name, flag]) => !NOT_SETTINGS.has(name) && !flag.hidden)
}

/** Every flag name of every command, with its kind: the keys a settings file may hold. */
export function knownSettings(config: Config): Map<string, SettingType> {
  const known = new Map<string, SettingType>()
  for (const [name, flag] of settingFlags(config))
    known.set(settingKey(name), flag.type === 'boolean' ? 'boolean' : 'value')
  return known
}

/** The settings files found, lowest precedence first. */
export function readSettingsFiles(config: Config, cwd: string): SettingsFile[] {
  const known = knownSettings(config)
  return settingsPaths(config.configDir, cwd).flatMap((path) => readSettingsFile(path, known, cwd) ?? [])
}

/**
 * The command's flags with the settings applied: each flag reads `DIRECTOR_<NAME>` (oclif's
 * `env`, above any default) and takes its default from the last settings file that sets it,
 * checked by the flag's own parser. Precedence: built-in < file < environment < command line.
 */
export async function applySettings(
  flags: FlagMap | undefined,
  files: SettingsFile[],
  command: Command,
): Promise<FlagMap> {
  const result: FlagMap = {}
  for (const [name, flag] of Object.entries(flags ?? {})) {
    if (NOT_SETTINGS.has(name)) {
      result[name] = flag
      continue
    }

    const file = files.findLast((f) => settingKey(name) in f.values)
    const raw = file?.values[settingKey(name)]
    const env = flag.env ?? (ENV_READ_ELSEWHERE.has(name) ? undefined : settingEnvVar(name))
    const withEnv = (env === undefined ? flag : {...flag, env}) as AnyFlag
    result[name] =
      raw === undefined
        ? withEnv
        : ({...withEnv, default: await typed({...withEnv, name} as AnyFlag, raw, file, command)} as AnyFlag)
  }

  return result
}

async function typed(
  flag: AnyFlag,
  raw: boolean | number | string,
  file: SettingsFile | undefined,
  command: Command,
): Promise<unknown> {
  const where = `${file?.path ?? 'settings'}: key "${settingKey(flag.name)}"`
  if (flag.type === 'boolean') return raw
  const text = String(raw)
  if (flag.options && !flag.options.includes(text))
    throw new UsageError(`${where} must be one of ${flag.options.join(', ')}`)
  try {
    if (!flag.parse) return text
    const context = Object.assign(Object.create(command) as Command, {
      token: {type: 'flag', flag: flag.name, input: text},
    })
    return await flag.parse(text, context as Parameters<typeof flag.parse>[1], flag as never)
  } catch (error) {
    throw new UsageError(`${where}: ${(error as Error).message.split('\n')[0] ?? ''}`)
  }
}

/**
 * Every setting any command takes, its effective value and where it came from: the environment
 * over the settings files over the built-in default (the command line, per run, over all).
 * A local path found at run time (the state dir) is shown resolved against `env` and `cwd`.
 */
export function effectiveSettings(
  config: Config,
  files: SettingsFile[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): EffectiveSetting[] {
  const flags = new Map<string, Config['commands'][number]['flags'][string]>()
  for (const [name, flag] of settingFlags(config)) {
    const seen = flags.get(name)
    if (seen === undefined || (seen.default === undefined && flag.default !== undefined)) flags.set(name, flag)
  }

  return [...flags.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, flag]) => {
      const setting = rawSetting(name, flag, files, env)
      const resolve = RESOLVED[name]
      if (resolve === undefined) return setting
      return {...setting, value: resolve(setting.value === null ? undefined : String(setting.value), env, cwd)}
    })
}

function rawSetting(
  name: string,
  flag: Config['commands'][number]['flags'][string],
  files: SettingsFile[],
  env: NodeJS.ProcessEnv,
): EffectiveSetting {
  const key = settingKey(name)
  const variable = settingEnvVar(name)
  const fromEnv = env[variable]
  if (fromEnv !== undefined && fromEnv !== '') return {key, flag: `--${name}`, value: fromEnv, source: `$${variable}`}
  const file = files.findLast((f) => key in f.values)
  const value = file?.values[key]
  if (file !== undefined && value !== undefined) return {key, flag: `--${name}`, value, source: file.path}
  const builtIn =
    typeof flag.default === 'function' ? null : ((flag.default as boolean | number | string | undefined) ?? null)
  // A duration's default is milliseconds inside; shown as a user would write it.
  const shown = flag.type === 'option' && flag.helpValue === DURATION_HELP && typeof builtIn === 'number'
  return {key, flag: `--${name}`, value: shown ? formatDuration(builtIn) : builtIn, source: 'default'}
}
