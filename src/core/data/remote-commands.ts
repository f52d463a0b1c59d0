import {remoteShellWord} from '../run/remote-layout.js'
import {shellQuote} from '../ssh/shell-quote.js'

/** A batch arrives in its own staging folder, named by run and batch, at the top of the data folder. */
export const PART_PREFIX = '.director-part-'

/** The manifest kept on each host in the project's data folder. */
export const REMOTE_MANIFEST = '.director-manifest.jsonl'

/** `.director-part-<run>-<batch>`: the staging folder of one batch, on the data folder's file system. */
export function stagingDir(runId: string, batchNumber: number): string {
  return `${PART_PREFIX}${runId}-${batchNumber}`
}

/**
 * Where a file waits until it is verified: `<staging>/<relative path>`, under its final name but
 * outside the data tree, so a half-written file never stands at a final path.
 */
export function partName(rel: string, runId: string, batchNumber: number): string {
  return `${stagingDir(runId, batchNumber)}/${rel}`
}

/** The batch's list of parts, sent as the last entry of its tar stream. */
export function listName(runId: string, batchNumber: number): string {
  return `${PART_PREFIX}${runId}-list-${batchNumber}`
}

/**
 * Receives one batch: unpacks the tar stream on stdin into the data folder (parts only), then
 * hashes the bytes now on the host's disk, listed NUL-separated in `listName`. `md5sum -z`
 * neither escapes names nor splits them on newlines.
 */
export function receiveBatchScript(root: string, listName: string): string {
  const list = shellQuote(listName)
  return [
    'set -e',
    `mkdir -p -- ${shellQuote(root)}`,
    `cd -- ${shellQuote(root)}`,
    'tar xf - --no-same-owner --no-same-permissions',
    `xargs -0 -r md5sum -z -- < ${list}`,
    `rm -f -- ${list}`,
  ].join('\n')
}

/**
 * Prints the login home, then removes the parts left by earlier, interrupted runs under the
 * project's data folder (ours carry this run's id). `remotePath` may start with `~/`.
 */
export function prepareScript(remotePath: string, runId: string): string {
  return [
    `printf '%s\\n' "$HOME"`,
    `root=${remoteShellWord(remotePath)}`,
    '[ -d "$root" ] || exit 0',
    'cd -- "$root"',
    `find . -maxdepth 1 -name '${PART_PREFIX}*' ! -name '${PART_PREFIX}${runId}-*' -exec rm -rf -- {} +`,
  ].join('\n')
}

/** A batch waiting in its staging folder to be moved into place. */
export interface StagedBatch {
  staging: string
  list: string
  /** Relative paths of the verified files, waiting under `<staging>/<path>`. */
  finals: string[]
  /** JSON lines for the host's manifest. */
  manifest: string
}

/**
 * Moves a batch's verified files from its staging folder to their final places, with one
 * `mv -t` per destination folder (rename(2) each: same file system), never a shell word built from
 * a name: names go NUL-separated through printf and xargs. Then prints what is left in the staging
 * folder (NUL-separated: rejected files, or moves that failed), removes the folder and the list,
 * and appends the batch's records to the host's manifest.
 */
export function finalizeScript(root: string, {staging, list, finals, manifest}: StagedBatch): string {
  const byFolder = new Map<string, string[]>()
  for (const rel of finals) {
    const folder = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '.'
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), `${staging}/${rel}`])
  }

  const lines = [`cd -- ${shellQuote(root)} || exit 1`]
  for (const [folder, parts] of byFolder) {
    const move = `printf '%s\\000' ${parts.map((part) => shellQuote(part)).join(' ')} | xargs -0 -r mv -f -t ${shellQuote(folder)} --`
    lines.push(`mkdir -p -- ${shellQuote(folder)} && ${move}`)
  }

  lines.push(
    `[ -d ${shellQuote(staging)} ] && find ${shellQuote(staging)} -type f -print0`,
    `rm -rf -- ${shellQuote(staging)} ${shellQuote(list)}`,
  )
  if (manifest !== '') lines.push(`printf '%s' ${shellQuote(manifest)} >> ${REMOTE_MANIFEST}`)
  lines.push('exit 0')
  return lines.join('\n')
}

/** Removes a batch's staging folder and list, after a failure. */
export function dropBatchScript(root: string, staging: string, list: string): string {
  return `cd -- ${shellQuote(root)} 2>/dev/null || exit 0\nrm -rf -- ${shellQuote(staging)} ${shellQuote(list)}`
}

/** Reads `md5sum -z` output: `<md5>  <name>\0` per file (a `*` instead of the second space in binary mode). */
export function parseMd5sumZ(output: string): Map<string, string> {
  const sums = new Map<string, string>()
  for (const record of output.split('\0')) {
    const match = /^([\da-f]{32}) [ *](.*)$/s.exec(record)
    if (match?.[1] && match[2] !== undefined) sums.set(match[2], match[1])
  }

  return sums
}
