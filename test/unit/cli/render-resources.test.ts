import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {HostResources} from '../../../src/core/resources/host-resources.js'
import type {HostStatus, StatusReport} from '../../../src/core/status/check-status.js'

import {renderResources} from '../../../src/cli/render/resources.js'

const GiB = 1024 ** 3
const negotiated = {kex: 'k', serverHostKey: 'h', cipher: 'c'}
const hostStatus = (host: string, resources: HostStatus['ssh']): HostStatus => ({
  host,
  address: host,
  port: 22,
  on: resources.ok,
  icmp: {state: 'skipped'},
  ssh: resources,
  ms: 1,
})
const measured = (host: string, values: Partial<HostResources>): HostResources => ({
  host,
  cpus: 4,
  cpusFrom: 'host',
  mem: 8 * GiB,
  memFrom: 'host',
  load: 0.5,
  memAvailable: 6 * GiB,
  diskFree: 100 * GiB,
  reserved: {cpus: 0, mem: 0, tasks: 0},
  problem: null,
  ...values,
})

describe('renderResources (status --resources)', () => {
  it('aligns the columns, says where a capacity was declared, n/a for what a host cannot say', () => {
    const ok = (value: HostResources): HostStatus['ssh'] => ({
      ok: true,
      loginMs: 1,
      negotiated,
      resources: {ok: true, value},
    })
    const report: StatusReport = {
      icmp: 'off',
      online: 3,
      total: 4,
      hosts: [
        hostStatus(
          'node01',
          ok(measured('node01', {cpus: 1.5, cpusFrom: 'inventory', reserved: {cpus: 1, mem: GiB, tasks: 2}})),
        ),
        hostStatus(
          'bsd',
          ok(
            measured('bsd', {
              cpus: null,
              cpusFrom: null,
              mem: null,
              memFrom: null,
              load: null,
              memAvailable: null,
              problem: 'cpus is given twice',
            }),
          ),
        ),
        hostStatus('node03', {
          ok: true,
          loginMs: 1,
          negotiated,
          resources: {ok: false, message: 'node03: cannot read its resources: exit 1'},
        }),
        hostStatus('down', {ok: false, failure: {kind: 'refused', message: 'connection refused'}}),
      ],
    }
    assert.deepEqual(renderResources(report), [
      'HOST    CPUS             LOAD  MEM      AVAILABLE  DISK FREE  RESERVED',
      'node01  1.5 (inventory)  0.50  8.0 GiB  6.0 GiB    100.0 GiB  1 cpu, 1.0 GiB (2 tasks)',
      'bsd     n/a              n/a   n/a      n/a        100.0 GiB  -',
      'node03  -                -     -        -          -          -',
      'down    -                -     -        -          -          -',
      'bsd: resources file ignored: cpus is given twice',
      'node03: cannot read its resources: exit 1',
    ])
  })
})
