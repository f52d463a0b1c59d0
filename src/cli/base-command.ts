import {Command, type Interfaces} from '@oclif/core'

import type {FleetOptions} from '../api/fleet-options.js'
import type {HostKeyCheck} from '../core/ssh/host-key-policy.js'

import {UsageError} from '../core/errors.js'
import {type Inventory, loadHosts} from '../core/inventory/load-hosts.js'
import {ExitCode} from './exit-codes.js'
import {applySettings, readSettingsFiles} from './settings.js'
import {parseErrorLine} from './usage-message.js'

export type FlagsOf<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof DirectorCommand)['baseFlags'] & T['flags']
>
/** The values of `connectionFlags`, as every remote command has them. */
export interface ConnectionFlagValues {
  concurrency: number
  /** Milliseconds (duration flags parse into ms). */
  'connect-timeout': number
  /** Milliseconds. */
  timeout?: number | undefined
  retries: number
  identity?: string | undefined
  'known-hosts'?: string | undefined
  'host-key-check': string
  jump?: string | undefined
  'jump-concurrency': number
}

export type ArgsOf<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/**
 * The base of every director command: parses flags and arguments, turns a UsageError into
 * a one-line message with exit code 2 (also under --json), and owns an AbortSignal that
 * Ctrl-C fires so that sessions close and what was collected is still written.
 */
export abstract class DirectorCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true

  protected args!: ArgsOf<T>
  protected flags!: FlagsOf<T>
  /** Every positional argument in order (with `static strict = false`, also the extra ones). */
  protected positionals!: string[]
  private readonly interruption = new AbortController()
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    process.exitCode = signal === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted
    this.interruption.abort(new Error('interrupted'))
  }

  /** Fires on Ctrl-C (SIGINT) and SIGTERM. */
  protected get signal(): AbortSignal {
    return this.interruption.signal
  }

  public override async init(): Promise<void> {
    await super.init()
    const ctor = this.ctor as typeof DirectorCommand
    // Settings files and DIRECTOR_* variables become the flags' defaults (see settings.ts).
    const files = readSettingsFiles(this.config, process.cwd())
    const {args, flags, raw} = await this.parse({
      args: ctor.args,
      baseFlags: ctor.baseFlags,
      enableJsonFlag: ctor.enableJsonFlag,
      flags: await applySettings(ctor.flags, files, this),
      strict: ctor.strict,
    }).catch((error: unknown) => {
      // Whatever the parser rejects (a flag's value, a missing value, an unknown flag) is the user's mistake.
      // oclif prefixes the message of an error a flag's parser threw ("Parsing --timeout\n\t...").
      const whole = error instanceof UsageError && !error.message.includes('\n')
      throw whole ? error : new UsageError(parseErrorLine(String((error as Error).message)))
    })
    this.flags = flags as FlagsOf<T>
    this.args = args as ArgsOf<T>
    // From the raw tokens: oclif's `argv` misorders words equal to a flag's value (`--project demo x demo`).
    this.positionals = raw.filter((token) => token.type === 'arg').map((token) => token.input)
    process.once('SIGINT', this.onSignal)
    process.once('SIGTERM', this.onSignal)
  }

  /** Reads clients.conf (and ssh_config) as the inventory flags say; says which files with --verbose. */
  protected loadInventory(flags: {
    clients?: string | undefined
    limit?: string | undefined
    'ssh-config'?: string | undefined
    verbose?: boolean
  }): Inventory {
    const inventory = loadHosts({
      clients: flags.clients,
      limit: flags.limit,
      sshConfig: flags['ssh-config'],
      env: process.env,
      cwd: process.cwd(),
      configDir: this.config.configDir,
    })
    if (flags.verbose) {
      this.logToStderr(`inventory: ${inventory.file.path} (from ${inventory.file.source})`)
      this.logToStderr(`ssh_config: ${inventory.sshConfigFile ?? 'none'}`)
    }

    return inventory
  }

  /** The library's fleet options from the shared flags: the commands call the library as users do. */
  protected fleetOptions(flags: ConnectionFlagValues, inventory: Inventory): FleetOptions {
    return {
      inventory,
      concurrency: flags.concurrency,
      connectTimeout: flags['connect-timeout'] / 1000,
      timeout: flags.timeout === undefined ? undefined : flags.timeout / 1000,
      retries: flags.retries,
      identity: flags.identity,
      knownHosts: flags['known-hosts'],
      hostKeyCheck: flags['host-key-check'] as HostKeyCheck,
      jump: flags.jump,
      jumpConcurrency: flags['jump-concurrency'],
      signal: this.signal,
    }
  }

  /** Sets exit code 1 when some part failed; 130 (or 143) wins when the run was interrupted. */
  protected setFailed(failed: boolean): void {
    const interrupted = process.exitCode === ExitCode.interrupted || process.exitCode === ExitCode.terminated
    if (failed && !interrupted) process.exitCode = ExitCode.someFailed
  }

  /**
   * A usage mistake (a UsageError; init turns whatever oclif's parser rejects into one) is printed as
   * one unwrapped line (`Error: file:line: what`) with exit code 2; under --json it is the error
   * document. Anything else is oclif's to report.
   */
  protected override async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    if (!(error instanceof UsageError)) return super.catch(error)
    const {message} = error
    process.exitCode = ExitCode.usage
    if (this.jsonEnabled()) this.logJson({error: {kind: 'usage', message, exitCode: ExitCode.usage}})
    else process.stderr.write(`Error: ${message}\n`)
    return undefined
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    process.removeListener('SIGINT', this.onSignal)
    process.removeListener('SIGTERM', this.onSignal)
    return super.finally(error)
  }
}
