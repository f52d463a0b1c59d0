#!/usr/bin/env node
// `director --version` is answered here without loading oclif (about 100 ms of imports), in
// oclif's own format; everything else goes through oclif, with the command manifest.
import {readFileSync} from 'node:fs'

const args = process.argv.slice(2)
if (args.length === 1 && args[0] === '--version') {
  const {name, version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`${name}/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}
