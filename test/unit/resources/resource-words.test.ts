import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import {UsageError} from '../../../src/core/errors.js'
import {
  describeResources,
  formatResourceWords,
  parseResourceWords,
  resourceRequest,
} from '../../../src/core/resources/resource-words.js'
import {formatBytes, parseSize} from '../../../src/core/size.js'

const GiB = 1024 ** 3

describe('parseSize (the one size parser)', () => {
  const cases: Array<[string, number]> = [
    ['512M', 512 * 1024 ** 2],
    ['8G', 8 * GiB],
    ['8GiB', 8 * GiB],
    ['1.5gb', 1.5 * GiB],
    ['64KiB', 65_536],
    ['2T', 2 * 1024 ** 4],
    ['4096B', 4096],
  ]
  for (const [text, bytes] of cases)
    it(`${text} is ${bytes} bytes`, () => assert.equal(parseSize(text, '--mem'), bytes))
  for (const text of ['8X', '512', '', '-1G', 'G'])
    it(`refuses "${text}" with one line naming the flag`, () =>
      assert.throws(
        () => parseSize(text, '--mem'),
        (error: unknown) => error instanceof UsageError && error.message.startsWith(`--mem: "${text}" is not a size`),
      ))

  it('formatBytes shows what parseSize reads', () => assert.equal(formatBytes(parseSize('7.6G', 'x')), '7.6 GiB'))
})

describe('parseResourceWords', () => {
  it('reads cpus (fractions) and mem, in any order', () => {
    assert.deepEqual(parseResourceWords('mem=8GiB cpus=4'), {cpus: 4, mem: 8 * GiB})
    assert.deepEqual(parseResourceWords(' cpus=0.5 '), {cpus: 0.5})
    assert.deepEqual(parseResourceWords(''), {})
  })

  it('reads back what formatResourceWords writes', () => {
    const asked = {cpus: 1.5, mem: 3 * GiB}
    assert.deepEqual(parseResourceWords(formatResourceWords(asked)), asked)
  })
  for (const [text, message] of [
    ['cpus=0', /cpus: "0" is not a number of cpus/],
    ['cpus=-1', /cpus: "-1" is not a number of cpus/],
    ['cpus=1 cpus=2', /cpus is given twice/],
    ['disk=10G', /"disk=10G" is not a resource/],
    ['mem=8', /mem: "8" is not a size/],
  ] as const)
    it(`refuses ${text}`, () => assert.throws(() => parseResourceWords(text), message))
})

describe('resourceRequest (the library options)', () => {
  it('takes cpus and mem as bytes or a size', () => {
    assert.deepEqual(resourceRequest({cpus: 0.5, mem: '4G'}), {cpus: 0.5, mem: 4 * GiB})
    assert.deepEqual(resourceRequest({mem: 1024}), {mem: 1024})
    assert.deepEqual(resourceRequest({}), {})
  })
  for (const options of [{cpus: -1}, {cpus: 0}, {cpus: Number.NaN}, {mem: 0}, {mem: 1.5}, {mem: '8X'}, {mem: '0G'}])
    it(`refuses ${JSON.stringify(options)}`, () => assert.throws(() => resourceRequest(options), UsageError))

  it('describes a request for people', () => {
    assert.equal(describeResources({cpus: 2, mem: 4 * GiB}), '2 cpus, 4.0 GiB')
    assert.equal(describeResources({cpus: 1}), '1 cpu')
    assert.equal(describeResources({}), '-')
  })
})
