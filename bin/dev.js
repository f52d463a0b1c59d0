#!/usr/bin/env node
// Development entry: runs the compiled commands without the manifest cache, so a fresh `tsc` is picked up.
import {execute} from '@oclif/core'

await execute({development: true, dir: import.meta.url})
