import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, relative} from 'node:path'
import {after, before} from 'node:test'

import {type Fleet, startFleet} from '../../fixtures/fleet/fleet.js'

/** A data set written for a test: relative path -> md5 of its content. */
export type DataSet = Map<string, string>

const md5 = (data: Buffer | string) => createHash('md5').update(data).digest('hex')

/** `count` files `tweet_1.txt`..., of `size` bytes each, for writeDataSet: the original tool's data. */
export function tweets(count: number, size = 256): Record<string, number> {
  return Object.fromEntries(Array.from({length: count}, (_, i) => [`tweet_${i + 1}.txt`, size]))
}

/** Writes files (relative path -> size in bytes, content random-ish but deterministic). */
export function writeDataSet(dir: string, files: Record<string, number>): DataSet {
  const set: DataSet = new Map()
  for (const [rel, size] of Object.entries(files)) {
    const path = join(dir, rel)
    mkdirSync(dirname(path), {recursive: true})
    const seed = createHash('sha256').update(rel).digest()
    const content = Buffer.alloc(size)
    for (let i = 0; i < size; i += seed.length) seed.copy(content, i)
    if (size > 0) content.writeUInt32LE(size % 2 ** 32, 0)
    writeFileSync(path, content)
    set.set(rel, md5(content))
  }

  return set
}

function listFiles(root: string): string[] {
  if (!existsSync(root)) return []
  return readdirSync(root, {withFileTypes: true}).flatMap((entry) => {
    const path = join(root, entry.name)
    return entry.isDirectory() ? listFiles(path) : [path]
  })
}

/** The project's data folder on fleet host `index` (default remote root ~/director). */
export function remoteDataRoot(fleet: Fleet, index: number, project: string): string {
  return join(fleet.host(index).home, 'director', 'data', project)
}

/** Where each file of the set is now: still local, and on which hosts. */
export function locate(
  fleet: Fleet,
  dir: string,
  project: string,
  set: DataSet,
): Map<string, {local: boolean; hosts: number[]}> {
  const where = new Map([...set.keys()].map((rel) => [rel, {local: existsSync(join(dir, rel)), hosts: [] as number[]}]))
  for (const host of fleet.hosts) {
    const root = remoteDataRoot(fleet, host.index, project)
    for (const path of listFiles(root)) where.get(relative(root, path))?.hosts.push(host.index)
  }

  return where
}

/**
 * The invariant of `director data`: every source file is still in the data folder or on exactly
 * one host, with the same md5 wherever it is, never on two hosts, never lost; and, unless the run
 * was cut short (the next run removes them), no temporary part is left in a host's data folder.
 */
export function assertNothingLost(
  fleet: Fleet,
  {dir, project, set}: {dir: string; project: string; set: DataSet},
  {partsAllowed = false} = {},
): void {
  for (const [rel, where] of locate(fleet, dir, project, set)) {
    assert.ok(where.hosts.length <= 1, `${JSON.stringify(rel)} is on hosts ${where.hosts.join(', ')}`)
    assert.ok(where.local || where.hosts.length === 1, `${JSON.stringify(rel)} is lost: not local, on no host`)
    if (where.local) assert.equal(md5(readFileSync(join(dir, rel))), set.get(rel), `${rel} changed locally`)
    for (const index of where.hosts) {
      assert.equal(
        md5(readFileSync(join(remoteDataRoot(fleet, index, project), rel))),
        set.get(rel),
        `${rel} differs on host ${index}`,
      )
    }
  }

  if (partsAllowed) return
  for (const host of fleet.hosts) {
    const parts = listFiles(remoteDataRoot(fleet, host.index, project)).filter((path) =>
      path.includes('.director-part-'),
    )
    assert.deepEqual(parts, [], `parts left on host ${host.index}`)
  }
}

/** The size of a file, or -1 when it is missing. */
export function sizeOf(path: string): number {
  return existsSync(path) ? statSync(path).size : -1
}

/** What a data test file shares: its fleet and work folder, set up before its tests and removed after. */
export interface DataFixture {
  fleet: Fleet
  work: string
  /** A data folder and a project name of their own for one test. */
  fresh: () => {dir: string; project: string}
}

/** Call inside a describe: starts a fleet of `hosts` before its tests, takes it down after. */
export function useDataFixture(hosts: number, name: string): DataFixture {
  let n = 0
  const fixture = {
    fleet: undefined as Fleet | undefined,
    work: '',
    fresh() {
      n++
      return {dir: join(this.work, `set${n}`), project: `p${n}`}
    },
  }
  before(async () => {
    fixture.fleet = await startFleet({hosts})
    fixture.work = mkdtempSync(join(tmpdir(), `director-${name}-`))
  })
  after(async () => {
    await fixture.fleet?.down()
    if (fixture.work !== '') rmSync(fixture.work, {recursive: true, force: true})
  })
  return {
    get fleet(): Fleet {
      return fixture.fleet ?? assert.fail('the fleet did not start')
    },
    get work(): string {
      return fixture.work
    },
    fresh: () => fixture.fresh(),
  }
}
