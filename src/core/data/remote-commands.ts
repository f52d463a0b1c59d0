import {remoteShellWord} from '../run/remote-layout.js'
import {shellQuote} from '../ssh/shell-quote.js'

/** Temporary names live beside their final name and say which run and file they belong to. */
export const PART_PREFIX = '.director-part-'

/** The manifest kept on each host in the project's data folder. */
export const REMOTE_MANIFEST = '.director-manifest.jsonl'

/** `dir/.director-part-<run>-<index>` for `dir/name`: same folder, so the rename is atomic. */
export function partName(rel: string, runId: string, index: number): string {
  const slash = rel.lastIndexOf('/')
  return `${rel.slice(0, slash + 1)}${PART_PREFIX}${runId}-${index}`
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
    `find . -type f -name '${PART_PREFIX}*' ! -name '${PART_PREFIX}${runId}-*' -exec rm -f -- {} +`,
  ].join('\n')
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
