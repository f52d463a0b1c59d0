import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'

import {
  parseDfAvailable,
  parseLoadavg,
  parseMeminfo,
  parseNproc,
  parseResourceProbe,
} from '../../../src/core/resources/resource-probe.js'
import {fixtures} from '../../helpers/paths.js'

const read = (name: string): string => readFileSync(join(fixtures, 'outputs', name), 'utf8')

/** What resourceProbeScript prints, with each section the captured output of its command. */
const probeOutput = (sections: Record<string, string>, before = ''): string =>
  [
    before,
    '@@director-resources',
    ...['nproc', 'loadavg', 'meminfo', 'df', 'declared', 'reserved'].flatMap((name) => [
      `@@${name}`,
      (sections[name] ?? '').replace(/\n$/, ''),
    ]),
    '@@end',
    '',
  ].join('\n')

describe('the resource probe parsers, over captured output (fixtures/outputs)', () => {
  it('nproc.txt: online cpus', () => assert.equal(parseNproc(read('nproc.txt')), 2))

  it('proc-loadavg.txt: the 1-minute load', () => assert.equal(parseLoadavg(read('proc-loadavg.txt')), 8.39))

  it('proc-meminfo.txt: MemTotal and MemAvailable in bytes', () =>
    assert.deepEqual(parseMeminfo(read('proc-meminfo.txt')), {total: 24_684_084 * 1024, available: 23_824_960 * 1024}))

  it('df-P.txt and df-P-tmpfs.txt: the Available column in bytes', () => {
    assert.equal(parseDfAvailable(read('df-P.txt')), 81_575_960 * 1024)
    assert.equal(parseDfAvailable(read('df-P-tmpfs.txt')), 24_684_084 * 1024)
  })

  it('a mount point with spaces', () =>
    assert.equal(
      parseDfAvailable(
        'Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/sdb1 100 40 60 40% /mnt/my disk\n',
      ),
      60 * 1024,
    ))

  it('empty or foreign output is n/a (null), never an exception', () => {
    for (const text of ['', 'nproc: command not found', 'cat: /proc/loadavg: No such file or directory'])
      assert.deepEqual([parseNproc(text), parseLoadavg(text), parseDfAvailable(text)], [null, null, null])
    assert.deepEqual(parseMeminfo(''), {total: null, available: null})
    // Before Linux 3.14 there is no MemAvailable.
    assert.deepEqual(parseMeminfo('MemTotal:  1000 kB\nMemFree:  500 kB\n'), {total: 1_024_000, available: null})
  })
})

describe('parseResourceProbe (the one exec)', () => {
  const full = {
    nproc: read('nproc.txt'),
    loadavg: read('proc-loadavg.txt'),
    meminfo: read('proc-meminfo.txt'),
    df: read('df-P.txt'),
  }

  it('reads every section; a chatty login shell before the mark is ignored', () => {
    const facts = parseResourceProbe(
      probeOutput(
        {
          ...full,
          declared: '# this rack\ncpus=4 mem=8GiB\n',
          reserved: 't-20261201000000-aaaa cpus=1 mem=1073741824B\nt-20261201000000-bbbb cpus=0.5\n',
        },
        'welcome to fleet-h1\n@@nproc\n99',
      ),
    )
    assert.deepEqual(facts, {
      cpus: 2,
      load: 8.39,
      memTotal: 24_684_084 * 1024,
      memAvailable: 23_824_960 * 1024,
      diskFree: 81_575_960 * 1024,
      declared: {cpus: 4, mem: 8 * 1024 ** 3},
      declaredProblem: null,
      reserved: {cpus: 1.5, mem: 1024 ** 3, tasks: 2},
    })
  })

  it('a host without /proc or nproc: every fact null (n/a), nothing reserved', () => {
    const facts = parseResourceProbe(probeOutput({df: read('df-P-tmpfs.txt')}))
    assert.deepEqual(
      [facts.cpus, facts.load, facts.memTotal, facts.memAvailable, facts.diskFree],
      [null, null, null, null, 24_684_084 * 1024],
    )
    assert.deepEqual(facts.reserved, {cpus: 0, mem: 0, tasks: 0})
  })

  it('a wrong resources file is reported and ignored; a bad reservation line counts for nothing', () => {
    const facts = parseResourceProbe(probeOutput({...full, declared: 'cpus=four\n', reserved: 't-1 mem=lots\n'}))
    assert.deepEqual(facts.declared, {})
    assert.match(facts.declaredProblem ?? '', /cpus: "four" is not a number of cpus/)
    assert.deepEqual(facts.reserved, {cpus: 0, mem: 0, tasks: 0})
  })
})
