import type {FanOutOptions} from '../fanout/run-on-hosts.js'
import type {Host} from '../inventory/host.js'
import type {ConnectOptions} from '../ssh/connect.js'

import {runOnHosts} from '../fanout/run-on-hosts.js'
import {runPlace} from './host-layout.js'
import {runFolder} from './local-layout.js'
import {makeRunFolder, markLatest} from './out-folder.js'
import {planRerun} from './plan-rerun.js'
import {makeRunId} from './run-id.js'
import {type RunEvents, runOnHost} from './run-on-host.js'
import {countStates, emptyHostRun, type HostRun, type RunReport} from './run-report.js'
import {checkScript, chooseWhat, type RunRequest, scriptName} from './run-request.js'
import {readLatestSummary, writeSummary} from './summary-file.js'

export type {RunEvents} from './run-on-host.js'
export type {RunRequest} from './run-request.js'

/** The report of `director run`, with where a rerun came from. */
export interface RunOnFleetReport extends RunReport {
  /** The run id `--rerun` repeated, and its hosts of that state no longer in the inventory. */
  rerun?: {from: string; missing: string[]}
}

export interface RunOptions {
  connect: ConnectOptions
  fanOut: FanOutOptions
  events?: RunEvents
}

/**
 * `director run`: checks the request (a usage error runs nothing), then runs the script or
 * command on every host at once, each host's output streamed into
 * `<out>/<project>/<run id>/<host>/` (`latest` beside it points at the newest run), and writes
 * summary.json, also after Ctrl-C. On the hosts, each run has its own folder per host under
 * `<remote root>/run/<project>/`, and only the newest `keepRuns` of the project stay.
 * With `rerun`, repeats the project's last run on the hosts that ended that way.
 */
export async function runOnFleet(hosts: Host[], request: RunRequest, options: RunOptions): Promise<RunOnFleetReport> {
  let what = chooseWhat(request)
  let {remoteRoot} = request
  let rerun: RunOnFleetReport['rerun']
  if (request.rerun !== undefined) {
    const plan = planRerun(await readLatestSummary(request.outDir, request.project), request.rerun, hosts)
    hosts = plan.hosts
    if (what === undefined) {
      what = plan.what.kind === 'script' ? {...plan.what, script: checkScript(plan.what.script)} : plan.what
      remoteRoot = plan.remoteRoot
    }

    rerun = {from: plan.from, missing: plan.missing}
  }

  if (what === undefined) throw new Error('chooseWhat returned nothing without --rerun')
  const started = new Date()
  const runId = makeRunId(started)
  const place = runPlace(remoteRoot, request.project, runId, scriptName(what))
  const folder = runFolder(request.outDir, request.project, runId)
  const report = (runs: HostRun[]): RunOnFleetReport => ({
    version: 1,
    project: request.project,
    runId,
    folder,
    what,
    remoteRoot,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    ms: Date.now() - started.getTime(),
    interrupted: options.fanOut.signal?.aborted ?? false,
    counts: countStates(runs),
    hosts: runs,
    ...(rerun && {rerun}),
  })
  // A rerun with nothing to do writes nothing: the earlier run stays the latest.
  if (hosts.length === 0) return report([])
  await makeRunFolder(request.outDir, folder)
  await markLatest(folder)
  options.events?.onRunStart?.(hosts.map((host) => host.name))
  const plan = {
    what,
    place,
    keepRuns: request.keepRuns,
    runDir: folder,
    connect: options.connect,
    interrupt: options.fanOut.signal,
    events: options.events ?? {},
  }
  const results = await runOnHosts(hosts, options.fanOut, async (host, signal) => runOnHost(host, plan, signal))
  const runs = results.map((result): HostRun =>
    result.ok ? result.value : notStarted(result.host, result.failure, folder),
  )
  const done = report(runs)
  await writeSummary(done)
  return done
}

/** A host Ctrl-C stopped before its turn came (or whose local folder could not be made). */
function notStarted(host: string, failure: HostRun['failure'] & object, folder: string): HostRun {
  return {...emptyHostRun(host, `${folder}/${host}`, failure.kind === 'aborted' ? 'interrupted' : 'failed'), failure}
}
