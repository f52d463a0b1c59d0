import {remoteShellWord} from '../remote/remote-path.js'
import {shellQuote} from '../remote/shell-quote.js'

/** A batch arrives in its own staging folder, named by host, run and batch, at the top of the data folder. */
export const PART_PREFIX = '.director-part-'

/**
 * Whose parts these are: the host (its inventory name as a path component, which never holds a
 * `+`) and the run. Hosts that share one home (NFS) share the data folder: each removes only
 * its own leftovers, never a part another host is receiving.
 */
export interface PartOwner {
  host: string
  runId: string
}

/** `.director-part-<host>+<run>-<batch>`: the staging folder of one batch, on the data folder's file system. */
export function stagingDir(owner: PartOwner, batchNumber: number): string {
  return `${PART_PREFIX}${owner.host}+${owner.runId}-${batchNumber}`
}

/** The manifest each host keeps in the project's data folder, one per host (appends from hosts sharing a home over NFS would tear). */
export function remoteManifestName(host: string): string {
  return `.director-manifest-${host}.jsonl`
}

/**
 * Where a file waits until it is verified: `<staging>/<relative path>`, under its final name but
 * outside the data tree, so a half-written file never stands at a final path.
 */
export function partName(rel: string, owner: PartOwner, batchNumber: number): string {
  return `${stagingDir(owner, batchNumber)}/${rel}`
}

/** The batch's list of parts (NUL-separated), last entry of its tar stream, in its staging folder. */
export function listName(staging: string): string {
  return `${staging}/${LIST_FILE}`
}

/** No data file has this name: the scan skips names starting with `.director-`. */
const LIST_FILE = '.director-list'

/** Marks the home in a receive's output: a login shell that prints something first is ignored. */
const HOME_MARK = 'director-home:'

/** Arguments of one `mv` at most this long: far below ARG_MAX (2 MiB on Linux), whatever the names. */
const MAX_ARGS_BYTES = 96 * 1024

/**
 * Receives one batch, in one exec: prints the login home (marked, NUL-terminated), makes the
 * data folder if needed, unpacks the tar stream on stdin into the batch's staging folder, then
 * hashes the bytes now on the host's disk, listed NUL-separated in the list; `md5sum -z` neither
 * escapes names nor splits them on newlines. With `cleanup` (a host's first batch) it first
 * removes the staging folders that this host's interrupted runs left, and those of the older
 * layout without a host in their name. Four processes (sh, tar, xargs, md5sum) when the folder
 * exists.
 */
export function receiveBatchScript(remotePath: string, staging: string, cleanup?: PartOwner): string {
  const lines = [
    `printf '${HOME_MARK}%s\\000' "$HOME"`,
    'set -e',
    `root=${remoteShellWord(remotePath)}`,
    '[ -d "$root" ] || mkdir -p -- "$root"',
    'cd -- "$root"',
  ]
  if (cleanup !== undefined) {
    const mine = `${PART_PREFIX}${cleanup.host}+`
    lines.push(
      `find . -maxdepth 1 \\( -name ${shellQuote(`${mine}*`)} ! -name ${shellQuote(`${mine}${cleanup.runId}-*`)}` +
        ` -o -name '${PART_PREFIX}*' ! -name '*+*' \\) -exec rm -rf -- {} +`,
    )
  }

  lines.push(
    'tar xf - --no-same-owner --no-same-permissions',
    `xargs -0 -r md5sum -z -- < ${shellQuote(listName(staging))}`,
  )
  return lines.join('\n')
}

/** What a receive printed: the login home, then the md5 of each part. */
export function parseReceiveOutput(output: string): {home: string; sums: Map<string, string>} {
  const start = output.indexOf(HOME_MARK)
  const end = start === -1 ? -1 : output.indexOf('\0', start)
  return end === -1
    ? {home: '', sums: new Map()}
    : {home: output.slice(start + HOME_MARK.length, end), sums: parseMd5sumZ(output.slice(end + 1))}
}

/** A batch waiting in its staging folder to be moved into place. */
export interface StagedBatch {
  staging: string
  /** The host's manifest file in the data folder (remoteManifestName). */
  manifestName: string
  /** Relative paths of the verified files, waiting under `<staging>/<path>`. */
  finals: string[]
  /** JSON lines for the host's manifest. */
  manifest: string
}

/** Ends a finalize's output: every move succeeded (no other output looks like it). */
const FINALIZED = 'director-finalized'

/**
 * Moves a batch's verified files from its staging folder to their final places with `mv -t`
 * per destination folder (rename(2) each: same file system); names are quoted words, never
 * read by the shell. Then removes the folder, and only if every move succeeded appends the
 * batch's records to the host's manifest and prints its end mark; otherwise it exits 1 with
 * mv's words, and no file of the batch counts as delivered (the next run sends them again, to
 * the same host). The script is one `{ ... }` group, so a shell that gets only part of it runs
 * none of it. Three processes (sh, mv, rm) for a flat folder.
 */
export function finalizeScript(remotePath: string, {staging, manifestName, finals, manifest}: StagedBatch): string {
  const byFolder = new Map<string, string[]>()
  for (const rel of finals) {
    const folder = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '.'
    const parts = byFolder.get(folder)
    const part = shellQuote(`${staging}/${rel}`)
    if (parts === undefined) byFolder.set(folder, [part])
    else parts.push(part)
  }

  const lines = ['{', `cd -- ${remoteShellWord(remotePath)} || exit 1`, 'failed=']
  for (const [folder, parts] of byFolder) {
    const target = shellQuote(folder)
    if (folder !== '.') lines.push(`mkdir -p -- ${target} || failed=1`)
    for (const chunk of chunkWords(parts)) lines.push(`mv -f -t ${target} -- ${chunk} || failed=1`)
  }

  lines.push(`rm -rf -- ${shellQuote(staging)}`, '[ -z "$failed" ] || exit 1')
  if (manifest !== '') lines.push(`printf '%s' ${shellQuote(manifest)} >> ${shellQuote(manifestName)}`)
  lines.push(`printf '${FINALIZED}'`, 'exit 0', '}')
  return lines.join('\n')
}

/** Whether a finalize ran to its end: every move succeeded. */
export function finalizeConfirmed(output: string): boolean {
  return output.endsWith(FINALIZED)
}

/** Joins quoted words into command-line tails of at most MAX_ARGS_BYTES each. */
function chunkWords(words: string[]): string[] {
  const chunks: string[] = []
  let current: string[] = []
  let bytes = 0
  for (const word of words) {
    const size = Buffer.byteLength(word) + 1
    if (current.length > 0 && bytes + size > MAX_ARGS_BYTES) {
      chunks.push(current.join(' '))
      current = []
      bytes = 0
    }

    current.push(word)
    bytes += size
  }

  if (current.length > 0) chunks.push(current.join(' '))
  return chunks
}

/** Removes a batch's staging folder, after a failure. */
export function dropBatchScript(remotePath: string, staging: string): string {
  return `cd -- ${remoteShellWord(remotePath)} 2>/dev/null || exit 0\nrm -rf -- ${shellQuote(staging)}`
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
