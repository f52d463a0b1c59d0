import type {ChalkInstance} from 'chalk'

import {open} from 'node:fs/promises'

import type {HostRun, RunReport} from '../../core/run/run-report.js'

import {compactHostList} from '../../core/inventory/compact-host-list.js'
import {foldIdenticalOutput} from '../../core/run/fold-identical-output.js'

/** Most bytes of one block's output shown; the rest stays in the host's stdout file. */
const SHOWN_BYTES = 1024 * 1024

/**
 * `--gather`: hosts with identical stdout and exit code as one block headed by their host list,
 * ClusterShell `-b` style; then, folded apart from stdout, the blocks of hosts that wrote to
 * stderr, headed `... stderr`. Hosts that never ran (unreachable) are left to the summary table.
 */
export async function renderGathered(report: RunReport, color: ChalkInstance): Promise<string[]> {
  const ran = report.hosts.filter((run) => run.exitCode !== null)
  const stdout = await renderBlocks(ran, 'stdout', color)
  const stderr = await renderBlocks(
    ran.filter((run) => run.stderrBytes > 0),
    'stderr',
    color,
  )
  return [...stdout, ...stderr]
}

async function renderBlocks(runs: HostRun[], stream: 'stderr' | 'stdout', color: ChalkInstance): Promise<string[]> {
  const digest = (run: HostRun): string => (stream === 'stdout' ? run.stdoutSha256 : run.stderrSha256)
  const groups = foldIdenticalOutput(runs.map((run) => ({host: run.host, digest: digest(run), exitCode: run.exitCode})))
  const lines: string[] = []
  for (const group of groups) {
    const exit = group.exitCode === 0 ? '' : ` exit ${group.exitCode}`
    const label = stream === 'stderr' ? ' stderr' : ''
    const rule = '-'.repeat(15)
    lines.push(
      color.cyan(rule),
      color.cyan(`${compactHostList(group.hosts)} (${group.hosts.length})${exit}${label}`),
      color.cyan(rule),
    )
    const first = runs.find((run) => run.host === group.hosts[0])
    if (first) lines.push(...(await readShown(stream === 'stdout' ? first.stdoutFile : first.stderrFile)))
  }

  return lines
}

async function readShown(path: string): Promise<string[]> {
  const file = await open(path).catch(() => {})
  if (!file) return []
  try {
    const {size} = await file.stat()
    const buffer = Buffer.alloc(Math.min(size, SHOWN_BYTES))
    await file.read(buffer, 0, buffer.length, 0)
    const text = buffer.toString('utf8')
    const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n')
    if (text === '') lines.length = 0
    if (size > SHOWN_BYTES) lines.push(`... ${size - SHOWN_BYTES} more bytes in ${path}`)
    return lines
  } finally {
    await file.close()
  }
}
