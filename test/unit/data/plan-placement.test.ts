import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {fileNumber, modHostIndex, planPlacement} from '../../../src/core/data/plan-placement.js'
import {UsageError} from '../../../src/core/errors.js'

describe('fileNumber', () => {
  const cases: Array<[string, number | undefined]> = [
    ['tweet_17.txt', 17],
    ['tweet_1.txt', 1],
    ['sub/dir_9/tweet_3.txt', 3],
    ['day_2020_03.csv.gz', 3],
    ['x_5.tar.gz', 5],
    ['data_42', 42],
    ['tweet_007.txt', 7],
    ['a_1b.txt', undefined],
    ['tweet17.txt', undefined],
    ['tweet_.txt', undefined],
    ['run_3_v2.txt', undefined],
  ]
  for (const [name, expected] of cases) {
    it(`${name} -> ${expected}`, () => assert.equal(fileNumber(name), expected))
  }
})

describe('modHostIndex', () => {
  it('sends _1 to the first host and _N+1 to the first again', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 8, 9].map((n) => modHostIndex(n, 4)),
      [0, 1, 2, 3, 0, 3, 0],
    )
  })

  it('sends _0 to the last host', () => assert.equal(modHostIndex(0, 4), 3))
})

describe('planPlacement', () => {
  const hosts = ['h1', 'h2', 'h3']

  it('mod: the number picks the host', () => {
    const plan = planPlacement(['t_1.txt', 't_2.txt', 't_3.txt', 't_4.txt'], hosts, {mode: 'mod'})
    assert.equal(plan.mode, 'mod')
    assert.deepEqual(
      [...plan.hosts],
      [
        ['t_1.txt', 'h1'],
        ['t_2.txt', 'h2'],
        ['t_3.txt', 'h3'],
        ['t_4.txt', 'h1'],
      ],
    )
  })

  it('mod: names without a number are an error listing the first few', () => {
    assert.throws(
      () => planPlacement(['t_1.txt', 'a.txt', 'b.txt', 'c.txt', 'd.txt'], hosts, {mode: 'mod'}),
      (error: unknown) =>
        error instanceof UsageError &&
        error.message ===
          '4 files have no _<number> for --placement mod: "a.txt", "b.txt", "c.txt" and 1 more (use --placement random)',
    )
  })

  it('auto: mod when every file has a number, random otherwise', () => {
    assert.equal(planPlacement(['t_1.txt'], hosts, {mode: 'auto'}).mode, 'mod')
    assert.equal(planPlacement(['t_1.txt', 'x.txt'], hosts, {mode: 'auto'}).mode, 'random')
  })

  it('auto: names the first files without a number, as the reason for random', () => {
    const files = ['a.txt', 't_1.txt', 'b.txt', 'c.txt', 'd.txt']
    assert.deepEqual(planPlacement(files, hosts, {mode: 'auto', seed: 1}).unnumbered, {
      count: 4,
      examples: ['a.txt', 'b.txt', 'c.txt'],
    })
    assert.deepEqual(planPlacement(files, hosts, {mode: 'random', seed: 1}).unnumbered, {count: 0, examples: []})
  })

  it('random: a resumed run draws no seed when every file keeps its earlier host', () => {
    const previous = new Map([
      ['a.txt', 'h1'],
      ['b.txt', 'h3'],
    ])
    const resumed = planPlacement(['a.txt', 'b.txt'], hosts, {mode: 'random', previous})
    assert.deepEqual([resumed.seed, resumed.resumed], [undefined, 2])
    const mixed = planPlacement(['a.txt', 'b.txt', 'c.txt'], hosts, {mode: 'random', seed: 9, previous})
    assert.deepEqual([mixed.seed, mixed.resumed, mixed.hosts.get('b.txt')], [9, 2, 'h3'])
  })

  it('random: the same seed gives the same placement, another seed another', () => {
    const files = Array.from({length: 200}, (_, i) => `f${i}.txt`)
    const a = planPlacement(files, hosts, {mode: 'random', seed: 7})
    const b = planPlacement(files, hosts, {mode: 'random', seed: 7})
    const c = planPlacement(files, hosts, {mode: 'random', seed: 8})
    assert.deepEqual([...a.hosts], [...b.hosts])
    assert.notDeepEqual([...a.hosts], [...c.hosts])
    assert.equal(a.seed, 7)
  })

  it('random: spreads roughly evenly', () => {
    const files = Array.from({length: 3000}, (_, i) => `f${i}.txt`)
    const plan = planPlacement(files, hosts, {mode: 'random', seed: 1})
    for (const host of hosts) {
      const count = [...plan.hosts.values()].filter((h) => h === host).length
      assert.ok(count > 850 && count < 1150, `${host} got ${count}`)
    }
  })

  it('keeps the host an earlier run assigned, unless that host left the inventory', () => {
    const previous = new Map([
      ['t_1.txt', 'h3'],
      ['t_2.txt', 'gone'],
    ])
    const plan = planPlacement(['t_1.txt', 't_2.txt'], hosts, {mode: 'mod', previous})
    assert.deepEqual(
      [...plan.hosts],
      [
        ['t_1.txt', 'h3'],
        ['t_2.txt', 'h2'],
      ],
    )
  })
})
