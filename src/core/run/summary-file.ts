import {readdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import type {RunReport} from './run-report.js'

import {UsageError} from '../errors.js'
import {projectFolder} from './local-layout.js'
import {isRunId} from './run-id.js'

export const SUMMARY_FILE = 'summary.json'

/** Writes the run's summary.json into its folder. */
export async function writeSummary(report: RunReport): Promise<string> {
  const path = join(report.folder, SUMMARY_FILE)
  await writeFile(path, JSON.stringify(report, null, 2) + '\n')
  return path
}

/**
 * The summary of the project's latest run that has one (run ids sort by start time).
 * Throws a UsageError naming the folder when there is none.
 */
export async function readLatestSummary(outDir: string, project: string): Promise<RunReport> {
  const folder = projectFolder(outDir, project)
  const runs = (await readdir(folder).catch(() => []))
    .filter((name) => isRunId(name))
    .sort()
    .reverse()
  for (const runId of runs) {
    const text = await readFile(join(folder, runId, SUMMARY_FILE), 'utf8').catch(() => {})
    if (text === undefined) continue
    try {
      return JSON.parse(text) as RunReport
    } catch {
      throw new UsageError(
        `${join(folder, runId, SUMMARY_FILE)}: not valid JSON; remove that run folder to rerun an older one`,
      )
    }
  }

  throw new UsageError(
    `no earlier run of project "${project}" in ${folder} (no summary.json): run it once without --rerun, or check --out and --project`,
  )
}
