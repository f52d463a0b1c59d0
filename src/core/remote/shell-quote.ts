/**
 * Quotes one argument for a POSIX shell: single quotes, with each `'` written as `'\''`.
 * Whatever the text holds (spaces, `$()`, `;`, newlines, a leading `-`), the remote shell
 * passes it on as one literal word.
 */
export function shellQuote(argument: string): string {
  if (argument !== '' && /^[\w%+,./:=@^-]+$/.test(argument)) return argument
  return `'${argument.replaceAll("'", String.raw`'\''`)}'`
}

/** Quotes every argument and joins them into one command line. */
export function shellJoin(argv: string[]): string {
  return argv.map((argument) => shellQuote(argument)).join(' ')
}

/**
 * A script for `/bin/sh` whatever the user's login shell is (sshd runs commands through it,
 * and fish or csh would read our POSIX syntax differently), as Ansible does.
 */
export function posixShell(script: string): string {
  return `/bin/sh -c ${shellQuote(script)}`
}
