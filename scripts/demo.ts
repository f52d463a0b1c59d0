// `npm run demo`: brings up a local fleet of real sshd hosts (127.0.1.1-8), runs director's
// commands against it as a user would, then takes the fleet down again. Needs root and sshd.
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {startFleet} from '../fixtures/fleet/fleet.js'
import {installSshdIfMissing} from '../fixtures/fleet/install-sshd.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const bin = join(root, 'bin', 'run.js')

/** One demo step: the command, the exit code it should have, and why. */
type Step = [args: string[], expectedExit: number]

function run([args, expectedExit]: Step, env: Record<string, string>): boolean {
  console.log(`\n$ director ${args.map((arg) => (/[\s~*[]/.test(arg) ? `'${arg}'` : arg)).join(' ')}`)
  const result = spawnSync(process.execPath, [bin, ...args], {stdio: 'inherit', env: {...process.env, ...env}})
  if (result.status === expectedExit) return true
  console.error(`demo: expected exit code ${expectedExit}, got ${result.status}`)
  return false
}

/** A small data set like the original tool's tweets: tweet_<n>.txt, a few words each. */
function writeTweets(dir: string, count: number): void {
  mkdirSync(dir, {recursive: true})
  const words = ['fleet', 'ssh', 'data', 'shard', 'host', 'verify', 'md5', 'run']
  for (let n = 1; n <= count; n++) {
    const text = Array.from({length: 5 + (n % 7)}, (_, i) => words[(n + i) % words.length]).join(' ')
    writeFileSync(join(dir, `tweet_${n}.txt`), `${text}\n`)
  }
}

installSshdIfMissing()
const fleet = await startFleet({hosts: 8})
const work = mkdtempSync(join(tmpdir(), 'director-demo-'))
const tweets = join(work, 'tweets')
writeTweets(tweets, 200)
console.log(
  `A fleet of ${fleet.hosts.length} real sshd hosts is up on 127.0.1.1-${fleet.hosts.length}, port ${fleet.port}.`,
)
console.log(`Inventory: ${fleet.clientsConf}; ssh_config: ${fleet.sshConfig}`)
console.log(
  `Each host is a machine of its own: its user (${fleet.host(1).user} on 127.0.1.1), home, processes and /tmp.`,
)
const steps: Step[] = [
  [['hosts'], 0],
  [['status'], 0],
  [['mkdir', '~', 'demo'], 0],
  [['mkdir', '~/demo', 'results', '--limit', '127.0.1.[1-4]'], 0],
  [['data', tweets, 'demo'], 0],
  [
    [
      'run',
      '--stream',
      '--project',
      'demo',
      '--out',
      join(work, 'output'),
      join(root, 'fixtures', 'demo', 'count-tweets.sh'),
      'demo',
    ],
    0,
  ],
  [['run', '--gather', '--out', join(work, 'output'), '-c', 'ls ~/director/data/demo | wc -l'], 0],
  [
    ['task', 'start', '--count', '4', '--project', 'demo', '--state-dir', work, '-c', 'while sleep 1; do date; done'],
    0,
  ],
  [['task', 'list', '--project', 'demo', '--state-dir', work], 0],
  [['task', 'stop', '--project', 'demo', '--grace', '2', '--state-dir', work], 0],
  [['start_local', '--state-dir', work], 0],
  [['ping', '--state-dir', work], 0],
  [['list', '--state-dir', work], 0],
  [['shutdown_local', '--state-dir', work], 0],
]
let ok = true
try {
  for (const step of steps) ok = run(step, fleet.env()) && ok
} finally {
  await fleet.down()
  rmSync(work, {recursive: true, force: true})
}

console.log(
  ok ? '\ndemo: every step did what it should; the fleet is down again.' : '\ndemo: some step failed (see above).',
)
process.exitCode = ok ? 0 : 1
