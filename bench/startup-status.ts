/**
 * Start-up time of `director --version` beside bare node, and `director status` over 4/16/64 fleet
 * hosts (median wall, peak RSS), with `status --no-icmp` beside `pdsh -R ssh true` on the same hosts.
 */
import {join} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

import {type Fleet, startFleet} from '../fixtures/fleet/fleet.js'
import {ensureCommand, medianOf} from './measure.js'

const bin = join(fileURLToPath(new URL('../../', import.meta.url)), 'bin', 'run.js')
const RUNS = 5

const ms = (value: number): string => `${value.toFixed(0)} ms`

export function benchStartup(): string[] {
  const node = medianOf(10, [process.execPath, '-e', '0'])
  const version = medianOf(10, [process.execPath, bin, '--version'])
  const help = medianOf(10, [process.execPath, bin, '--help'])
  return [
    `start-up: node -e 0 ${ms(node.ms)}, director --version ${ms(version.ms)} (+${ms(version.ms - node.ms)}), ` +
      `director --help ${ms(help.ms)} (median of 10)`,
  ]
}

export async function benchStatus(fleet?: Fleet): Promise<string[]> {
  const own = fleet === undefined
  const hosts = fleet ?? (await startFleet({hosts: 64}))
  const lines: string[] = []
  const env = {...process.env, ...hosts.env()}
  const havePdsh = ensureCommand('pdsh', 'pdsh')
  try {
    for (const count of [4, 16, 64]) {
      const clients = hosts.writeClientsConf(
        hosts.hosts.slice(0, count).map((host) => host.address),
        `bench-${count}.conf`,
      )
      const full = medianOf(RUNS, [process.execPath, bin, 'status', '--clients', clients], env)
      const sshOnly = medianOf(RUNS, [process.execPath, bin, 'status', '--no-icmp', '--clients', clients], env)
      lines.push(
        `status ${count} hosts: ${ms(full.ms)} (peak RSS ${full.maxRssKiB ?? '?'} KiB); --no-icmp ${ms(sshOnly.ms)}` +
          ` (median of ${RUNS})`,
      )
      if (havePdsh) {
        const targets = hosts.hosts
          .slice(0, count)
          .map((host) => host.address)
          .join(',')
        const pdshEnv = {...env, PDSH_SSH_ARGS: `-F ${hosts.sshConfig} -oBatchMode=yes %h`}
        const pdsh = medianOf(RUNS, ['pdsh', '-R', 'ssh', '-f', '64', '-w', targets, 'true'], pdshEnv)
        lines.push(
          `  pdsh -R ssh -f 64 true over ${count} hosts: ${ms(pdsh.ms)}; director status --no-icmp / pdsh = ` +
            `${(sshOnly.ms / pdsh.ms).toFixed(2)}`,
        )
      }
    }

    if (!havePdsh) lines.push('pdsh not available: install it (apt-get install pdsh) for the comparison')
  } finally {
    if (own) await hosts.down()
  }

  return lines
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of [...benchStartup(), ...(await benchStatus())]) console.log(line)
}
