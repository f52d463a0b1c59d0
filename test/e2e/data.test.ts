import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import type {DataReport} from '../../src/core/data/types.js'

import {runCli, runCliJson} from '../helpers/cli.js'
import {assertNothingLost, locate, remoteDataRoot, tweets, useDataFixture, writeDataSet} from '../helpers/data-set.js'
import {repoRoot} from '../helpers/paths.js'
import {waitFor} from '../helpers/wait.js'

/** Waits (bounded) until a file whose name contains `part` appears under `dir`. */
async function waitForPart(dir: string, seconds: number): Promise<void> {
  const started = await waitFor(
    () =>
      existsSync(dir) && readdirSync(dir, {recursive: true}).some((name) => String(name).includes('.director-part-')),
    seconds * 1000,
    50,
  )
  if (!started) throw new Error(`no upload started under ${dir} within ${seconds} s`)
}

describe('director data against a real sshd ctx.fleet', () => {
  const ctx = useDataFixture(4, 'data')
  const {fresh} = ctx

  it('mod placement: _1 and _5 on host 1, _4 and _8 on host 4; sources deleted once verified', async () => {
    const {dir, project} = fresh()
    const set = writeDataSet(dir, tweets(9))
    const {code, stdout} = await runCli(['data', dir, project], {env: ctx.fleet.env()})
    assert.equal(code, 0, stdout)
    assert.match(stdout, new RegExp(`^Found 9 data files in ${dir}$`, 'm'))
    assert.match(stdout, /^Placement: mod/m)
    assert.match(stdout, /^Delivered 9\/9 files/m)
    const where = locate(ctx.fleet, dir, project, set)
    const hostOf = (n: number) => where.get(`tweet_${n}.txt`)?.hosts
    assert.deepEqual([hostOf(1), hostOf(5), hostOf(9), hostOf(2), hostOf(4), hostOf(8)], [[1], [1], [1], [2], [4], [4]])
    assert.ok([...where.values()].every((w) => !w.local))
    assertNothingLost(ctx.fleet, {dir, project, set})
    const manifest = readFileSync(join(dir, '.director', project, 'manifest.jsonl'), 'utf8')
    assert.equal(manifest.split('\n').filter((line) => line.includes('"event":"done"')).length, 9)
    const onHost = readFileSync(
      join(remoteDataRoot(ctx.fleet, 1, project), '.director-manifest-127.0.1.1.jsonl'),
      'utf8',
    )
    assert.equal(onHost.trim().split('\n').length, 3)
  })

  it('random placement with --seed is reproducible', async () => {
    const names = Object.fromEntries(Array.from({length: 24}, (_, i) => [`doc-${i}.txt`, 100]))
    const placements = []
    for (const seed of [11, 11]) {
      const {dir, project} = fresh()
      const set = writeDataSet(dir, names)
      const {code, json} = await runCliJson<DataReport>(
        ['data', dir, project, '--placement', 'random', '--seed', String(seed)],
        {env: ctx.fleet.env()},
      )
      assert.equal(code, 0)
      assert.deepEqual(json.placement, {mode: 'random', seed, resumed: 0, unnumbered: {count: 0, examples: []}})
      assertNothingLost(ctx.fleet, {dir, project, set})
      placements.push([...locate(ctx.fleet, dir, project, set)].map(([rel, w]) => [rel, w.hosts]))
    }

    assert.deepEqual(placements[0], placements[1])
    assert.ok(new Set(placements[0]?.map(([, hosts]) => String(hosts))).size > 1, 'all files on one host')
  })

  it('mixed names: --placement mod is an error that sends nothing; auto falls back to random and says so', async () => {
    const {dir, project} = fresh()
    const set = writeDataSet(dir, {'tweet_1.txt': 10, 'notes.txt': 10, 'readme.txt': 10})
    const mod = await runCli(['data', dir, project, '--placement', 'mod'], {env: ctx.fleet.env()})
    assert.equal(mod.code, 2)
    assert.equal(
      mod.stderr,
      'Error: 2 files have no _<number> for --placement mod: "notes.txt", "readme.txt" (use --placement random)\n',
    )
    assert.ok([...locate(ctx.fleet, dir, project, set).values()].every((w) => w.local && w.hosts.length === 0))
    const auto = await runCli(['data', dir, project, '--seed', '3'], {env: ctx.fleet.env()})
    assert.equal(auto.code, 0)
    assert.match(
      auto.stdout,
      /^Placement: random, seed 3 \(--seed 3 repeats it\); 2 files have no _<number> for mod: "notes.txt", "readme.txt"$/m,
    )
    assertNothingLost(ctx.fleet, {dir, project, set})
  })

  it('--dry-run prints the plan and sends nothing', async () => {
    const {dir, project} = fresh()
    const set = writeDataSet(dir, tweets(6, 1000))
    const {code, stdout} = await runCli(['data', dir, project, '--dry-run'], {env: ctx.fleet.env()})
    assert.equal(code, 0)
    assert.match(stdout, /^127\.0\.1\.1\s+2\s+2\.0 KiB$/m)
    assert.match(stdout, /^127\.0\.1\.3\s+1\s+1000 B$/m)
    assert.ok([...locate(ctx.fleet, dir, project, set).values()].every((w) => w.local && w.hosts.length === 0))
  })

  it('a host down at the start keeps its files here and lists them; the re-run with it back finishes', async () => {
    const {dir, project} = fresh()
    const set = writeDataSet(dir, tweets(8))
    await ctx.fleet.stopHost(2)
    try {
      const {code, json} = await runCliJson<DataReport>(['data', dir, project], {env: ctx.fleet.env()})
      assert.equal(code, 1)
      assert.equal(json.hosts[1]?.failure?.kind, 'refused')
      assert.deepEqual(json.undelivered.map((u) => u.file).sort(), ['tweet_2.txt', 'tweet_6.txt'])
      assert.equal(json.delivered, 6)
      assertNothingLost(ctx.fleet, {dir, project, set})
    } finally {
      await ctx.fleet.startHost(2)
    }

    const again = await runCliJson<DataReport>(['data', dir, project], {env: ctx.fleet.env()})
    assert.equal(again.code, 0)
    assert.equal(again.json.delivered, 2)
    assert.deepEqual(locate(ctx.fleet, dir, project, set).get('tweet_6.txt'), {local: false, hosts: [2]})
    assertNothingLost(ctx.fleet, {dir, project, set})
  })

  it('a host whose disk fills up fails with disk full; its sources stay, parts are removed, the others finish', async () => {
    const {dir, project} = fresh()
    const set = writeDataSet(dir, tweets(8, 300 * 1024))
    await ctx.fleet.mountTinyDisk(3, join('director', 'data', project), 256)
    const {code, json} = await runCliJson<DataReport>(['data', dir, project], {env: ctx.fleet.env()})
    assert.equal(code, 1)
    const failed = json.undelivered.filter((u) => u.host === '127.0.1.3')
    assert.deepEqual(failed.map((u) => u.file).sort(), ['tweet_3.txt', 'tweet_7.txt'])
    assert.ok(
      failed.every((u) => u.failure.kind === 'disk-full'),
      JSON.stringify(failed),
    )
    assert.equal(json.delivered, 6)
    assertNothingLost(ctx.fleet, {dir, project, set})
  })

  it('sshd of a host killed mid-transfer: that host fails, its sources stay; the re-run finishes', async () => {
    const {dir, project} = fresh()
    const files = {...tweets(4, 1024), 'big_2.gz': 48 * 1024 * 1024, 'big_6.gz': 48 * 1024 * 1024}
    const set = writeDataSet(dir, files)
    const running = runCliJson<DataReport>(['data', dir, project], {env: ctx.fleet.env()})
    await waitForPart(remoteDataRoot(ctx.fleet, 2, project), 20)
    await ctx.fleet.stopHost(2, {killSessions: true})
    try {
      const {code, json} = await running
      assert.equal(code, 1)
      assert.ok(json.undelivered.some((u) => u.host === '127.0.1.2'))
      assert.ok(
        json.undelivered.every((u) => u.host === '127.0.1.2'),
        JSON.stringify(json.undelivered),
      )
      // Exactly the files the report calls not delivered are still here; every other one is on its host only.
      const undelivered = new Set(json.undelivered.map((u) => u.file))
      for (const [rel, where] of locate(ctx.fleet, dir, project, set)) {
        assert.equal(where.local, undelivered.has(rel), `${rel}: local ${where.local}`)
        if (!where.local) assert.equal(where.hosts.length, 1, `${rel} is on hosts ${where.hosts.join(', ')}`)
      }

      const share = json.hosts.find((h) => h.host === '127.0.1.2')
      assert.equal((share?.delivered ?? 0) + (share?.failed ?? 0), share?.files)
      assertNothingLost(ctx.fleet, {dir, project, set}, {partsAllowed: true})
    } finally {
      await ctx.fleet.startHost(2)
    }

    const again = await runCli(['data', dir, project], {env: ctx.fleet.env()})
    assert.equal(again.code, 0, again.stdout)
    assertNothingLost(ctx.fleet, {dir, project, set})
  })

  it('director killed with SIGKILL mid-run, then re-run: completes, nothing lost, nothing duplicated', async () => {
    const {dir, project} = fresh()
    const files = {...tweets(40, 2048), 'big_1.gz': 40 * 1024 * 1024, 'big_3.gz': 40 * 1024 * 1024}
    const set = writeDataSet(dir, files)
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), 'data', dir, project], {
      env: {...process.env, ...ctx.fleet.env()},
      stdio: 'ignore',
    })
    const exited = new Promise((resolve) => {
      child.on('close', resolve)
    })
    await waitForPart(remoteDataRoot(ctx.fleet, 1, project), 20)
    child.kill('SIGKILL')
    await exited
    assertNothingLost(ctx.fleet, {dir, project, set}, {partsAllowed: true})
    const again = await runCliJson<DataReport>(['data', dir, project], {env: ctx.fleet.env()})
    assert.equal(again.code, 0)
    assertNothingLost(ctx.fleet, {dir, project, set})
    assert.ok([...locate(ctx.fleet, dir, project, set).values()].every((w) => !w.local && w.hosts.length === 1))
  })

  it('Ctrl-C mid-run: exit 130, parts removed, sources of unfinished files kept; the re-run finishes', async () => {
    const {dir, project} = fresh()
    const files = {...tweets(12, 512), 'big_1.gz': 64 * 1024 * 1024, 'big_2.gz': 64 * 1024 * 1024}
    const set = writeDataSet(dir, files)
    const running = runCliJson<DataReport>(['data', dir, project], {
      env: ctx.fleet.env(),
      interruptWhen: () =>
        existsSync(remoteDataRoot(ctx.fleet, 1, project)) &&
        readdirSync(remoteDataRoot(ctx.fleet, 1, project)).some((name) => name.startsWith('.director-part-')),
    })
    const {code, json} = await running
    assert.equal(code, 130)
    assert.ok(
      json.undelivered.some((u) => u.failure.kind === 'aborted'),
      JSON.stringify(json.undelivered),
    )
    assertNothingLost(ctx.fleet, {dir, project, set})
    const again = await runCli(['data', dir, project], {env: ctx.fleet.env()})
    assert.equal(again.code, 0, again.stdout)
    assertNothingLost(ctx.fleet, {dir, project, set})
  })

  it('hostile names arrive intact, in their sub-folders, and nothing executes', async () => {
    const {dir, project} = fresh()
    const names = [
      'with space_1.txt',
      "quote'single_2.txt",
      'quote"double_3.txt',
      '$(touch pwned)_4.txt',
      '`touch pwned2`_5.txt',
      'new\nline_6.txt',
      '-rf_7.txt',
      'ünïcødé €_8.txt',
      'semi;colon_9.txt',
      'sub dir/$(id)/deep_10.txt',
      '-x/-y_11.txt',
    ]
    const set = writeDataSet(dir, Object.fromEntries(names.map((name) => [name, 64])))
    const {code, stderr} = await runCli(['data', dir, project], {env: ctx.fleet.env()})
    assert.equal(code, 0, stderr)
    assertNothingLost(ctx.fleet, {dir, project, set})
    assert.deepEqual(locate(ctx.fleet, dir, project, set).get('new\nline_6.txt'), {local: false, hosts: [2]})
    assert.deepEqual(locate(ctx.fleet, dir, project, set).get('sub dir/$(id)/deep_10.txt'), {local: false, hosts: [2]})
    for (const host of ctx.fleet.hosts) {
      for (const marker of ['pwned', 'pwned2']) {
        assert.ok(
          !existsSync(join(host.home, marker)) &&
            !existsSync(join(remoteDataRoot(ctx.fleet, host.index, project), marker)),
        )
      }
    }
  })

  it('--keep keeps the sources, and a re-run sends nothing again', async () => {
    const {dir, project} = fresh()
    const set = writeDataSet(dir, tweets(4))
    assert.equal((await runCli(['data', dir, project, '--keep'], {env: ctx.fleet.env()})).code, 0)
    const where = locate(ctx.fleet, dir, project, set)
    assert.ok([...where.values()].every((w) => w.local && w.hosts.length === 1))
    const again = await runCliJson<DataReport>(['data', dir, project, '--keep'], {env: ctx.fleet.env()})
    assert.equal(again.code, 0)
    assert.equal(again.json.alreadyDelivered, 4)
    assert.equal(again.json.delivered, 0)
  })

  it('a new file under the name of a delivered one is a conflict, sent only with --replace', async () => {
    const {dir, project} = fresh()
    writeDataSet(dir, {'report_1.txt': 100})
    assert.equal((await runCli(['data', dir, project], {env: ctx.fleet.env()})).code, 0)
    const onHost = join(remoteDataRoot(ctx.fleet, 1, project), 'report_1.txt')
    const first = readFileSync(onHost)
    const set = writeDataSet(dir, {'report_1.txt': 200})
    const conflict = await runCliJson<DataReport>(['data', dir, project], {env: ctx.fleet.env()})
    assert.equal(conflict.code, 1)
    assert.equal(conflict.json.undelivered[0]?.failure.kind, 'conflict')
    assert.deepEqual(readFileSync(onHost), first)
    assert.ok(existsSync(join(dir, 'report_1.txt')))
    const replaced = await runCliJson<DataReport>(['data', dir, project, '--replace'], {env: ctx.fleet.env()})
    assert.equal(replaced.code, 0)
    assertNothingLost(ctx.fleet, {dir, project, set})
  })

  it('--limit sends only the selected hosts their share and moves nothing elsewhere', async () => {
    const {dir, project} = fresh()
    const set = writeDataSet(dir, tweets(8))
    const {code, json} = await runCliJson<DataReport>(['data', dir, project, '--limit', '127.0.1.1'], {
      env: ctx.fleet.env(),
    })
    assert.equal(code, 0)
    assert.equal(json.delivered, 2)
    assert.equal(json.notSelected, 6)
    const where = locate(ctx.fleet, dir, project, set)
    assert.equal(where.size, 8)
    for (const [rel, place] of where) {
      const onHost1 = rel === 'tweet_1.txt' || rel === 'tweet_5.txt'
      assert.deepEqual(place, onHost1 ? {local: false, hosts: [1]} : {local: true, hosts: []}, rel)
    }

    assertNothingLost(ctx.fleet, {dir, project, set})
  })

  it('clear errors for a missing folder and a folder without data files, exit 2', async () => {
    const missing = await runCli(['data', join(ctx.work, 'nope'), 'x'], {env: ctx.fleet.env()})
    assert.deepEqual(
      [missing.code, missing.stderr],
      [2, `Error: data folder ${join(ctx.work, 'nope')} does not exist\n`],
    )
    const {dir} = fresh()
    writeDataSet(dir, {'notes.md': 10})
    const empty = await runCli(['data', dir, 'x'], {env: ctx.fleet.env()})
    assert.equal(empty.code, 2)
    assert.equal(
      empty.stderr,
      `Error: no data files ending in .txt, .zip, .gz in ${dir} (choose others with --ext txt,json or take every file with --all)\n`,
    )
  })
})
