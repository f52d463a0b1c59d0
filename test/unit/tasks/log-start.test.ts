import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {LogStartFilter, logStartLine} from '../../../src/core/tasks/log-start.js'

/** Feeds `pieces` through a filter for task `t-1` and returns what it passed on. */
function filtered(pieces: string[]): string {
  const out: Buffer[] = []
  const filter = new LogStartFilter(logStartLine('t-1'), (chunk) => out.push(chunk))
  for (const piece of pieces) filter.push(Buffer.from(piece))
  filter.end()
  return Buffer.concat(out).toString()
}

describe('LogStartFilter', () => {
  const cases: Array<[string, string[], string]> = [
    ['no preamble', ['director-log-start t-1\nline1\n'], 'line1\n'],
    ['a chatty rc before the marker', ['Welcome!\nmotd\ndirector-log-start t-1\nline1\n'], 'line1\n'],
    ['the marker split over chunks', ['Welcome!\ndirector-lo', 'g-start t-1', '\nli', 'ne1\n'], 'line1\n'],
    ['an empty log', ['hi\ndirector-log-start t-1\n'], ''],
    ['the marker inside a line is not the marker', ['xdirector-log-start t-1\ndirector-log-start t-1\nA\n'], 'A\n'],
    [
      'a later marker-like line is log',
      ['director-log-start t-1\ndirector-log-start t-1\n'],
      'director-log-start t-1\n',
    ],
    ['no marker at all: everything', ['just text\n'], 'just text\n'],
  ]
  for (const [name, pieces, expected] of cases) it(name, () => assert.equal(filtered(pieces), expected))
})
