import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {parseErrorLine} from '../../../src/cli/usage-message.js'

describe('parseErrorLine (oclif parser messages on one line)', () => {
  const cases: Array<[string, string, string]> = [
    [
      'a flag value its parser rejects',
      'Parsing --concurrency \n\tExpected an integer greater than or equal to 1 but received: 0\nSee more help with --help',
      '--concurrency: expected an integer greater than or equal to 1 but received: 0 (see --help)',
    ],
    [
      "a flag parser's own message that names the flag already",
      'Parsing --timeout \n\t--timeout: "5x" is not a duration\nSee more help with --help',
      '--timeout: "5x" is not a duration (see --help)',
    ],
    ['a flag without its value', 'Flag --command expects a value', 'Flag --command expects a value (see --help)'],
    [
      'an unknown flag',
      'Nonexistent flag: --bogus\nSee more help with --help',
      'Nonexistent flag: --bogus (see --help)',
    ],
    [
      'missing arguments, by name',
      'Missing 2 required args:\npath     where to create it\ndirName  the folder name\nSee more help with --help',
      'Missing 2 required args: path, dirName (see --help)',
    ],
    [
      'exclusive flags, without the preamble and its colour',
      'The following error occurred:\n  \u001B[2m--gather=true cannot also be provided when using --stream\u001B[22m\nSee more help with --help',
      '--gather=true cannot also be provided when using --stream (see --help)',
    ],
    [
      'two reasons',
      'The following errors occurred:\n  A is wrong\n  B is wrong\nSee more help with --help',
      'A is wrong; B is wrong (see --help)',
    ],
    [
      'a bad option',
      'Expected --rerun=x to be one of: failed, unreachable, timeout\nSee more help with --help',
      'Expected --rerun=x to be one of: failed, unreachable, timeout (see --help)',
    ],
  ]
  for (const [what, message, expected] of cases) {
    it(what, () => {
      const line = parseErrorLine(message)
      assert.equal(line, expected)
      assert.equal(line.includes('\n'), false)
    })
  }
})
