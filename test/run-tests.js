#!/usr/bin/env node
// Runs the compiled test files (dist/test/**/*.test.js) with node's test runner.
// The files are listed explicitly: `node --test DIR` would also run the helpers.
// The reporter is node's default: spec on a terminal, TAP (`# pass N`) otherwise.
// Arguments filter by substring: `npm test -- inventory status`.
import {spawnSync} from 'node:child_process'
import {readdirSync} from 'node:fs'
import {join, relative} from 'node:path'

const root = join(import.meta.dirname, '..', 'dist', 'test')

function listTests(dir) {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return listTests(path)
    return entry.name.endsWith('.test.js') ? [path] : []
  })
}

const filters = process.argv.slice(2)
const files = listTests(root)
  .filter((file) => filters.length === 0 || filters.some((f) => relative(root, file).includes(f)))
  .sort()
if (files.length === 0) {
  console.error(`no test files matched ${filters.join(' ')} under ${root}`)
  process.exit(2)
}

const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-timeout=180000', ...files], {
  stdio: 'inherit',
})
process.exit(result.status ?? 1)
