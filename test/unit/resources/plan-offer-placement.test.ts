import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {HostFacts} from '../../../src/core/resources/resource-probe.js'

import {type HostOffer, offerOf, resolveHostResources} from '../../../src/core/resources/host-resources.js'
import {claimOffer, planOfferPlacement, shortfallMessage} from '../../../src/core/resources/plan-offer-placement.js'

const GiB = 1024 ** 3
const offer = (host: string, cpus: null | number, mem: null | number = 16 * GiB): HostOffer => ({host, cpus, mem})
const sizes = [offer('h1', 1), offer('h2', 2), offer('h4', 4)]

describe('planOfferPlacement (the offer round)', () => {
  const cases: Array<{
    name: string
    offers: HostOffer[]
    request: {cpus?: number; mem?: number}
    count: number
    options?: {pack?: boolean; avoid?: ReadonlySet<string>}
    placed: Array<[string, number]>
    unplaced: number
  }> = [
    {
      name: '7 x 1 cpu on 1+2+4 cpus: 1/2/4',
      offers: sizes,
      request: {cpus: 1},
      count: 7,
      placed: [
        ['h1', 1],
        ['h2', 2],
        ['h4', 4],
      ],
      unplaced: 0,
    },
    {
      name: 'an 8th does not fit',
      offers: sizes,
      request: {cpus: 1},
      count: 8,
      placed: [
        ['h1', 1],
        ['h2', 2],
        ['h4', 4],
      ],
      unplaced: 1,
    },
    {
      name: 'spread: the roomiest first',
      offers: sizes,
      request: {cpus: 1},
      count: 3,
      placed: [
        ['h2', 1],
        ['h4', 2],
      ],
      unplaced: 0,
    },
    {
      name: 'pack: in order',
      offers: sizes,
      request: {cpus: 1},
      count: 3,
      options: {pack: true},
      placed: [
        ['h1', 1],
        ['h2', 2],
      ],
      unplaced: 0,
    },
    {
      name: 'fractions: 0.5 cpu',
      offers: [offer('h1', 1), offer('h2', 1.5)],
      request: {cpus: 0.5},
      count: 6,
      placed: [
        ['h1', 2],
        ['h2', 3],
      ],
      unplaced: 1,
    },
    {
      name: 'memory alone',
      offers: [offer('a', null, 2 * GiB), offer('b', null, 5 * GiB)],
      request: {mem: 2 * GiB},
      count: 4,
      placed: [
        ['a', 1],
        ['b', 2],
      ],
      unplaced: 1,
    },
    {
      name: 'both must fit',
      offers: [offer('a', 8, GiB), offer('b', 1, 8 * GiB)],
      request: {cpus: 1, mem: 2 * GiB},
      count: 3,
      placed: [['b', 1]],
      unplaced: 2,
    },
    {
      name: 'n/a takes no task that asks for cpus',
      offers: [offer('na', null), offer('h1', 1)],
      request: {cpus: 1},
      count: 2,
      placed: [['h1', 1]],
      unplaced: 1,
    },
    {
      name: 'avoided host only when no other fits',
      offers: [offer('a', 4), offer('b', 1)],
      request: {cpus: 1},
      count: 2,
      options: {avoid: new Set(['a'])},
      placed: [
        ['a', 1],
        ['b', 1],
      ],
      unplaced: 0,
    },
    {name: 'an empty round', offers: [], request: {cpus: 1}, count: 2, placed: [], unplaced: 2},
  ]
  for (const c of cases)
    it(c.name, () => {
      const plan = planOfferPlacement(c.offers, c.request, c.count, c.options)
      assert.deepEqual([...plan.placement], c.placed)
      assert.equal(plan.unplaced, c.unplaced)
    })

  it('says what the task needs and the largest free offer left', () => {
    const plan = planOfferPlacement(
      [offer('a', 4, 12 * GiB), offer('127.0.1.3', 5.5, 12 * GiB)],
      {cpus: 2, mem: 4 * GiB},
      5,
    )
    assert.equal(plan.unplaced, 1)
    assert.equal(
      shortfallMessage({cpus: 2, mem: 4 * GiB}, plan.best),
      'needs 2 cpus, 4.0 GiB; best host 127.0.1.3 has 1.5 cpus, 4.0 GiB free',
    )
    assert.match(shortfallMessage({cpus: 1}, null), /^needs 1 cpu; no host says what it has free/)
  })
})

describe("a host's capacity and offer", () => {
  const facts: HostFacts = {
    cpus: 8,
    load: 6.5,
    memTotal: 32 * GiB,
    memAvailable: 20 * GiB,
    diskFree: 100 * GiB,
    declared: {cpus: 4},
    declaredProblem: null,
    reserved: {cpus: 1.5, mem: 2 * GiB, tasks: 2},
  }

  it('the inventory wins over the file, the file over the host, key by key', () => {
    const r = resolveHostResources('h', {mem: 8 * GiB}, facts)
    assert.deepEqual([r.cpus, r.cpusFrom, r.mem, r.memFrom], [4, 'file', 8 * GiB, 'inventory'])
    const bare = resolveHostResources('h', undefined, {...facts, declared: {}})
    assert.deepEqual([bare.cpus, bare.cpusFrom, bare.mem, bare.memFrom], [8, 'host', 32 * GiB, 'host'])
    const none = resolveHostResources('h', undefined, {...facts, cpus: null, memTotal: null, declared: {}})
    assert.deepEqual([none.cpus, none.cpusFrom, none.mem, none.memFrom], [null, null, null, null])
  })

  it('offers capacity less what live tasks reserved; --respect-load counts the load as cpus in use', () => {
    const r = resolveHostResources('h', undefined, {...facts, declared: {}})
    assert.deepEqual(offerOf(r, false), {host: 'h', cpus: 6.5, mem: 30 * GiB})
    assert.deepEqual(offerOf(r, true), {host: 'h', cpus: 1.5, mem: 30 * GiB})
    const overbooked = resolveHostResources('h', {cpus: 1}, facts)
    assert.equal(offerOf(overbooked, false).cpus, 0)
  })
})

describe("claimOffer (a place hook's choice must fit too)", () => {
  it('takes each task off the chosen host while it holds it, then says why not', () => {
    const left = [offer('h1', 1), offer('h2', 2)]
    assert.equal(claimOffer(left, 'h1', {cpus: 1}), null)
    assert.equal(claimOffer(left, 'h1', {cpus: 1}), 'a task needs 1 cpu, it has 0 cpus, 16.0 GiB free')
    assert.equal(claimOffer(left, 'h9', {cpus: 1}), 'it made no offer (its probe failed)')
    assert.deepEqual(left, [offer('h1', 0), offer('h2', 2)])
  })
})
