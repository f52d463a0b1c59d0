// The request, report, progress and options of `director data`: one place, imported by its parts.
import type {FanOutOptions} from '../fanout/run-on-hosts.js'
import type {Failure} from '../host-result.js'
import type {Host} from '../inventory/host.js'
import type {ConnectOptions} from '../ssh/connect.js'
import type {FileFailure} from './deliver-to-host.js'
import type {PlacementMode, PlacementSummary} from './plan-placement.js'
import type {SkippedFile} from './scan-data-dir.js'

/**
 * Placement runs over every host of the inventory, so `--limit` never moves a file to another
 * host; only the selected hosts are sent their share, the others' files stay where they are.
 */
export interface DataTargets {
  all: Host[]
  selected: Host[]
}

export interface DataRequest {
  dir: string
  project: string
  /** Extensions to take; undefined for every file (--all). */
  extensions: string[] | undefined
  placement: PlacementMode
  seed?: number | undefined
  keep: boolean
  /** Send files that reuse the name of a delivered (and deleted) file, replacing the host's copy. */
  replace: boolean
  dryRun: boolean
  /** `--remote-root`, default `~/director`. */
  remoteRoot: string
}

/**
 * One host's part of a run. "Failed" has one meaning everywhere (this row, the progress line,
 * the summary): a file of the share that is not on the host now, whatever the cause; so
 * `delivered + failed === files` once the run is over. `failedChecksum` counts those of them
 * whose copy did not match.
 */
export interface HostShare {
  host: string
  /** Files and bytes planned for this host in this run. */
  files: number
  bytes: number
  delivered: number
  deliveredBytes: number
  failed: number
  failedChecksum: number
  ms: number
  /** Why the whole host failed (down at the start, lost mid-run), if it did. */
  failure?: Failure
}

export interface DataReport {
  dir: string
  project: string
  found: number
  skipped: SkippedFile[]
  placement: PlacementSummary
  dryRun: boolean
  /** Files the manifest shows delivered by earlier runs (their sources deleted, or kept and unchanged). */
  alreadyDelivered: number
  /** Shares of the selected hosts, in inventory order. */
  hosts: HostShare[]
  /** Files placed on hosts that --limit left out: they stay in the data folder for a later run. */
  notSelected: number
  /** Every file that is not on a host, with why; its source is still in the data folder. */
  undelivered: FileFailure[]
  delivered: number
  manifest: string
  ms: number
}

/**
 * Progress so far, counted as the report counts: `filesTotal` is every file this run is to
 * deliver (the selected hosts' shares and the conflicts found before sending), `failed` every
 * one of them known not delivered (with `failedChecksum` among them). `finished` marks the last
 * update, sent once every host is done: it agrees with the report.
 */
export interface DataProgress {
  filesTotal: number
  bytesTotal: number
  filesDone: number
  bytesSent: number
  failed: number
  failedChecksum: number
  /** The same per host with files to receive, in inventory order. */
  hosts: HostProgress[]
  finished: boolean
}

export interface HostProgress {
  host: string
  filesTotal: number
  bytesTotal: number
  filesDone: number
  bytesSent: number
  failed: number
  /** Why the whole host failed (could not log in), when it did. */
  failure?: Failure
}

/** How to reach the hosts, and who to tell about progress. */
export interface DataRunOptions {
  connect: ConnectOptions
  fanOut: FanOutOptions
  events?: DataEvents
}

export interface DataEvents {
  /** After the scan and the placement, before anything is sent. */
  onPlan?: (report: DataReport) => void
  onProgress?: (progress: DataProgress) => void
}
