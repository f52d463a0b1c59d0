// `npm run bench`: every benchmark, printed as lines of numbers. Not part of `npm test`.
import {startFleet} from '../fixtures/fleet/fleet.js'
import {benchLocalEcho} from './local-echo.js'
import {benchStartup, benchStatus} from './startup-status.js'

const print = (lines: string[]): void => {
  for (const line of lines) console.log(line)
}

print(benchStartup())
const fleet = await startFleet({hosts: 64})
try {
  print(await benchStatus(fleet))
} finally {
  await fleet.down()
}

print(await benchLocalEcho())
