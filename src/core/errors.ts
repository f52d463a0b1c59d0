/**
 * A mistake in the user's input (flags, arguments, config files): nothing ran.
 * The message is one line that says where, what and what to do.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** Where a problem was found: a file and, when known, a 1-based line number. */
export function located(file: string, line: number | undefined, message: string): string {
  return line === undefined ? `${file}: ${message}` : `${file}:${line}: ${message}`
}

/** What an unknown thrown value says: its message when it is an Error. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
