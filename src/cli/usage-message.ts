/**
 * One line for a message of oclif's flag and argument parser, which spans several lines
 * ("Parsing --concurrency \n\tExpected an integer ...\nSee more help with --help"):
 * `--concurrency: expected an integer ... (see --help)`.
 */
export function parseErrorLine(message: string): string {
  const lines = message
    // eslint-disable-next-line no-control-regex
    .replaceAll(/\u001B\[[\d;]*m/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^(See more help|Note:|Alternatively)/.test(line))
  const [first = 'invalid command line', ...rest] = lines
  const parsing = /^Parsing (--\S+)$/.exec(first)
  if (parsing) {
    // A flag's own parser may name the flag already (the duration flags do).
    const why = rest.join('; ')
    return why.startsWith(`${parsing[1]}: `) ? `${why} (see --help)` : `${parsing[1]}: ${lowerFirst(why)} (see --help)`
  }

  if (!first.endsWith(':') || rest.length === 0) return `${first} (see --help)`
  // "The following error occurred:" and its reasons (exclusive flags, dependencies).
  if (/^The following errors? occurred:$/.test(first)) return `${rest.join('; ')} (see --help)`
  // "Missing 2 required args:" is followed by one "name  description" line per argument.
  const details = first.startsWith('Missing')
    ? rest.map((line) => line.split(/\s+/)[0]).join(', ')
    : rest.map((line) => lowerFirst(line)).join('; ')
  return `${first} ${details} (see --help)`
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text
}
