/**
 * The run script ends its stderr with `\x1edirector:files=N\x1e` (N: 1 when output/ holds
 * anything). Reading it saves one exec per host when there are no files to bring back.
 */
export const FILES_TRAILER_PREFIX = '\u001Edirector:files='
const END = 0x1e
const LENGTH = FILES_TRAILER_PREFIX.length + 2

/**
 * The shell line that prints the trailer, run in the working folder after the command: globs
 * (dot files too) instead of `ls`, so that it costs the host no process.
 */
export const PRINT_FILES_TRAILER = String.raw`f=0; for x in output/* output/.[!.]* output/..?*; do if [ -e "$x" ] || [ -L "$x" ]; then f=1; break; fi; done; printf '\036director:files=%s\036' "$f" >&2`

/**
 * Cuts the trailer off the end of a stream: holds back the last few bytes of what passes,
 * and at the end says whether they were the trailer. Anything else passes untouched, so a
 * stream without the trailer (a killed script, a daemon writing late) loses nothing.
 */
export class TrailerCutter {
  private held: Buffer = Buffer.alloc(0)

  /** The bytes that are certainly not part of the trailer. */
  push(chunk: Buffer): Buffer {
    const all = this.held.length === 0 ? chunk : Buffer.concat([this.held, chunk])
    const keep = Math.min(LENGTH, all.length)
    this.held = Buffer.from(all.subarray(all.length - keep))
    return all.subarray(0, all.length - keep)
  }

  /** At the end: the last bytes that were not the trailer, and the trailer's flag if it came. */
  end(): {rest: Buffer; hasFiles: boolean | undefined} {
    const {held} = this
    this.held = Buffer.alloc(0)
    const text = held.toString('latin1')
    const flag = text.at(-2)
    if (
      held.length === LENGTH &&
      text.startsWith(FILES_TRAILER_PREFIX) &&
      held.at(-1) === END &&
      (flag === '0' || flag === '1')
    )
      return {rest: Buffer.alloc(0), hasFiles: flag === '1'}
    return {rest: held, hasFiles: undefined}
  }
}
