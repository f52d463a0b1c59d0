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
 * The receive's tar reads the stream in records of this size (`-b 20`, GNU tar's default); the
 * stream is padded to a whole number of them, so tar stops exactly at its end and leaves the
 * rest of stdin, the settle script, to the shell.
 */
export const TAR_RECORD_BYTES = 20 * 512

/** Ends the sums in a receive's output (NUL-terminated: no md5sum line looks like it). */
const SUMS_END = 'director-sums-end'

/** Ends the settle script's output: it ran to its end (no staged path looks like it). */
const SETTLED = 'director-settled'

/** The settle script's first line: the receive runs it only if it arrived whole from its start. */
const SETTLE_HEADER = '# director settle'

/**
 * Receives and settles one batch, in one exec: prints the login home (marked, NUL-terminated),
 * makes the data folder if needed, unpacks the tar stream on stdin into the batch's staging
 * folder, then hashes the bytes now on the host's disk, listed NUL-separated in the list;
 * `md5sum -z` neither escapes names nor splits them on newlines. After the sums and their end
 * mark, it reads the rest of stdin whole: the settle script director writes once it has compared
 * the sums (see settleScript), run only if it starts with its header, so a tar that read past its
 * stream cannot leave half a script to run. With `cleanupRunId` (a host's first batch) it first
 * removes the staging folders that interrupted runs left (ours carry this run's id). Five
 * processes (sh, tar, xargs, md5sum, cat) when the folder exists.
 */
export function receiveBatchScript(remotePath: string, staging: string, cleanupRunId?: string): string {
  const lines = [
    `printf '${HOME_MARK}%s\\000' "$HOME"`,
    'set -e',
    `root=${remoteShellWord(remotePath)}`,
    '[ -d "$root" ] || mkdir -p -- "$root"',
    'cd -- "$root"',
  ]
  if (cleanupRunId !== undefined) {
    lines.push(
      `find . -maxdepth 1 -name '${PART_PREFIX}*' ! -name '${PART_PREFIX}${cleanupRunId}-*' -exec rm -rf -- {} +`,
    )
  }

  lines.push(
    `tar -x -b ${TAR_RECORD_BYTES / 512} -f - --no-same-owner --no-same-permissions`,
    `xargs -0 -r md5sum -z -- < ${shellQuote(listName(staging))}`,
    `printf '${SUMS_END}\\000'`,
    'script=$(cat)',
    'set +e',
    'case $script in',
    `  '${SETTLE_HEADER}'*) eval "$script" ;;`,
    "  *) echo 'no whole settle script arrived (not GNU tar?): nothing moved' >&2; exit 3 ;;",
    'esac',
  )
  return lines.join('\n')
}

/** What a receive printed up to the end of its sums: the login home and the md5 of each part. */
export interface ReceiveOutput {
  home: string
  sums: Map<string, string>
  /** True once every part is hashed: the host now waits for the settle script. */
  hashed: boolean
}

const SUMS_END_RECORD = `\0${SUMS_END}\0`

/** Whether a receive's output has got to the end of its sums. */
export function receiveHashed(output: string): boolean {
  return output.includes(SUMS_END_RECORD)
}

/** Reads a receive's output up to the end of its sums, as far as it got. */
export function parseReceiveOutput(output: string): ReceiveOutput {
  const start = output.indexOf(HOME_MARK)
  const end = start === -1 ? -1 : output.indexOf('\0', start)
  if (end === -1) return {home: '', sums: new Map(), hashed: false}
  const sumsEnd = output.indexOf(SUMS_END_RECORD, end)
  return {
    home: output.slice(start + HOME_MARK.length, end),
    sums: parseMd5sumZ(output.slice(end + 1, sumsEnd === -1 ? undefined : sumsEnd + 1)),
    hashed: sumsEnd !== -1,
  }
}

/**
 * Once the settle script has run to its end: the staged parts it could not move into place
 * (NUL-terminated, before its end mark). Undefined when it stopped short, or never ran: then
 * nothing it did is taken as done.
 */
export function parseSettleOutput(output: string): string[] | undefined {
  const start = output.indexOf(HOME_MARK)
  const sumsEnd = start === -1 ? -1 : output.indexOf(SUMS_END_RECORD, start)
  if (sumsEnd === -1) return undefined
  const records = output.slice(sumsEnd + SUMS_END_RECORD.length).split('\0')
  // A complete output ends with the mark and its NUL: the split's last piece is empty.
  if (records.pop() !== '' || records.pop() !== SETTLED) return undefined
  return records
}

/** A batch waiting in its staging folder to be moved into place. */
export interface StagedBatch {
  staging: string
  /** Relative paths of the verified files, waiting under `<staging>/<path>`. */
  finals: string[]
  /** JSON lines for the host's manifest. */
  manifest: string
}

/**
 * Settles a received batch, in the receive's own exec: moves the verified files from the staging
 * folder to their final places with `mv -t` per destination folder (rename(2) each: same file
 * system); names are quoted words, never read by the shell. Only if a move failed, prints what
 * is left in the staging folder (NUL-separated). Then removes the folder, appends the batch's
 * records to the host's manifest and prints its end mark: without the mark, director takes no
 * move as done and keeps every source. Two more processes (mv, rm) for a flat folder.
 */
export function settleScript(remotePath: string, {staging, finals, manifest}: StagedBatch): string {
  const byFolder = new Map<string, string[]>()
  for (const rel of finals) {
    const folder = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '.'
    const parts = byFolder.get(folder)
    const part = shellQuote(`${staging}/${rel}`)
    if (parts === undefined) byFolder.set(folder, [part])
    else parts.push(part)
  }

  const lines = [SETTLE_HEADER, `cd -- ${remoteShellWord(remotePath)} || exit 1`, 'failed=']
  for (const [folder, parts] of byFolder) {
    const target = shellQuote(folder)
    if (folder !== '.') lines.push(`mkdir -p -- ${target} || failed=1`)
    for (const chunk of chunkWords(parts)) lines.push(`mv -f -t ${target} -- ${chunk} || failed=1`)
  }

  lines.push(
    `[ -z "$failed" ] || find ${shellQuote(staging)} -type f ! -name ${LIST_FILE} -print0`,
    `rm -rf -- ${shellQuote(staging)}`,
  )
  if (manifest !== '') lines.push(`printf '%s' ${shellQuote(manifest)} >> ${REMOTE_MANIFEST}`)
  lines.push(`printf '${SETTLED}\\000'`, 'exit 0')
  return lines.join('\n')
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
