import {posix} from 'node:path'

import {checkFolderName, hostPathComponent, remoteRootOf, resolveRemotePath} from '../remote/remote-path.js'

/**
 * Where one host's part of one run lives, as paths the user would write (`~/director/...`).
 * Everything is under `<root>/run/<project>/<run id>/<host>/`, so two runs (or two hosts sharing
 * one NFS home) never write the same file: the working folder itself, its `output/`, and
 * `.director/` with the uploaded script, the pid file and the `live` mark.
 */
export interface HostLayout {
  /** `<root>/run/<project>`: every run of the project, one folder per run id (pruned). */
  projectDir: string
  /** The working folder of the command. */
  hostDir: string
  /** `$DIRECTOR_OUTPUT`: what is in it comes back into `<host>/files/`. */
  outputDir: string
  /** The uploaded script; undefined for an ad-hoc command. */
  script: string | undefined
  /** Holds the process group id of the running command. */
  pidFile: string
  /** Empty while the run script runs on the host, `ended` after: pruning spares a run still running. */
  liveFile: string
  /** `DIRECTOR_RUN_ID`'s value: every process of this run on this host inherits it, for the kill. */
  cookie: string
}

/** What every host of a run shares: checked once, before any host is contacted. */
export interface RunPlace {
  root: string
  project: string
  runId: string
  scriptName: string | undefined
}

/** Checks the project, remote root and script name; throws a UsageError naming the bad one. */
export function runPlace(remoteRoot: string, project: string, runId: string, scriptName?: string): RunPlace {
  checkFolderName(project, 'project name')
  resolveRemotePath(remoteRoot, '/')
  if (scriptName !== undefined) checkFolderName(scriptName, 'script name')
  const root = remoteRootOf(remoteRoot)
  return {root, project, runId, scriptName}
}

/** The layout of one host of the run. */
export function hostLayout(place: RunPlace, host: string): HostLayout {
  const folder = hostPathComponent(host)
  const projectDir = posix.join(place.root, 'run', place.project)
  const hostDir = posix.join(projectDir, place.runId, folder)
  const own = posix.join(hostDir, '.director')
  return {
    projectDir,
    hostDir,
    outputDir: posix.join(hostDir, 'output'),
    script: place.scriptName === undefined ? undefined : posix.join(own, place.scriptName),
    pidFile: posix.join(own, 'pid'),
    liveFile: posix.join(own, 'live'),
    cookie: `${place.runId}-${folder}`,
  }
}
