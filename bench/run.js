#!/usr/bin/env node
// `npm run bench`: runs every compiled bench (dist/bench/*.js) one after the other and prints
// the lines each exported `bench*` function returns. Arguments filter by substring.
import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

const dir = join(import.meta.dirname, '..', 'dist', 'bench')
const filters = process.argv.slice(2)
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.js') && (filters.length === 0 || filters.some((f) => name.includes(f))))
  .sort()
for (const file of files) {
  const module = await import(pathToFileURL(join(dir, file)).href)
  for (const [name, bench] of Object.entries(module)) {
    if (!name.startsWith('bench') || typeof bench !== 'function') continue
    console.log(`# ${file}: ${name}`)
    for (const line of await bench()) console.log(line)
  }
}
