/** A cap on how many names one pattern may expand to, so a typo like `n[1-9999999]` fails fast. */
export const MAX_EXPANSION = 10_000

export type RangeResult = {ok: true; names: string[]} | {ok: false; message: string}

/**
 * Expands bracket ranges in a host pattern, in order, as pdsh and ClusterShell do:
 * `node[01-03]` -> node01 node02 node03; `10.0.0.[1-2,5]` -> 10.0.0.1 10.0.0.2 10.0.0.5;
 * `r[1-2]n[1-2]` -> r1n1 r1n2 r2n1 r2n2. A start with a leading zero sets the width.
 */
export function expandHostRange(pattern: string): RangeResult {
  let names = ['']
  let rest = pattern
  while (rest.length > 0) {
    const open = rest.indexOf('[')
    const close = rest.indexOf(']')
    if (open === -1) {
      if (close !== -1) return {ok: false, message: `unmatched "]" in "${pattern}"`}
      names = names.map((name) => name + rest)
      break
    }

    if (close === -1 || close < open) return {ok: false, message: `unclosed "[" in "${pattern}"`}
    const prefix = rest.slice(0, open)
    if (prefix.includes(']')) return {ok: false, message: `unmatched "]" in "${pattern}"`}
    const values = expandRangeBody(rest.slice(open + 1, close))
    if (!values.ok) return {ok: false, message: `${values.message} in "${pattern}"`}
    if (names.length * values.names.length > MAX_EXPANSION) {
      return {ok: false, message: `"${pattern}" expands to more than ${MAX_EXPANSION} hosts`}
    }

    names = names.flatMap((name) => values.names.map((value) => name + prefix + value))
    rest = rest.slice(close + 1)
  }

  return {ok: true, names}
}

/** `01-03,7` -> ['01', '02', '03', '7'] */
function expandRangeBody(body: string): RangeResult {
  if (body === '') return {ok: false, message: 'empty range "[]"'}
  const names: string[] = []
  for (const part of body.split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part)
    if (!match) return {ok: false, message: `invalid range "[${body}]" (expected e.g. [1-9] or [01-16,20])`}
    const [, from = '', to = from] = match
    const start = Number(from)
    const end = Number(to)
    if (end < start) return {ok: false, message: `range "[${body}]" runs backwards`}
    if (end - start + names.length >= MAX_EXPANSION) {
      return {ok: false, message: `range "[${body}]" has more than ${MAX_EXPANSION} values`}
    }

    const width = from.startsWith('0') && from.length > 1 ? from.length : 0
    for (let n = start; n <= end; n++) names.push(String(n).padStart(width, '0'))
  }

  return {ok: true, names}
}
