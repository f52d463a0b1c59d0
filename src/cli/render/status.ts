import type {ChalkInstance} from 'chalk'

import type {HostStatus, IcmpCheck, SshCheck, StatusReport} from '../../core/status/check-status.js'

import {compactHostList} from '../../core/inventory/compact-host-list.js'
import {failureWords} from './failure-words.js'
import {formatTable} from './table.js'

/** `director status`: one line per host in inventory order, then `7/8 hosts online`. */
export function renderStatus(report: StatusReport, color: ChalkInstance): string[] {
  const lines: string[] = []
  if (report.icmp === 'n/a')
    lines.push(color.yellow('icmp: n/a (no ping command here); hosts judged by SSH login alone'))
  const rows = report.hosts.map((status) => [
    status.host,
    status.on ? color.green('ON') : color.red('OFF'),
    pingText(status.icmp),
    sshText(status.ssh, color),
    status.ssh.ok ? `${status.ssh.loginMs} ms` : '',
    detail(status, color),
  ])
  lines.push(...formatTable([['HOST', 'STATE', 'PING', 'SSH', 'LOGIN', ''], ...rows]))
  const summary = `${report.online}/${report.total} hosts online`
  lines.push(report.online === report.total ? color.green(summary) : color.red(summary))
  return lines
}

/** `--verbose`: what each connection negotiated, then the hosts that seem to share one home. */
export function renderNegotiated(report: StatusReport): string[] {
  const lines = report.hosts.flatMap((status) =>
    status.ssh.ok
      ? [
          `${status.host}: kex ${status.ssh.negotiated.kex}, host key ${status.ssh.negotiated.serverHostKey}, cipher ${status.ssh.negotiated.cipher}`,
        ]
      : [],
  )
  for (const hosts of report.sharedHomes ?? []) {
    lines.push(`shared home: ${compactHostList(hosts)} see one home folder (NFS?); director keeps their files apart`)
  }

  return lines
}

function pingText(icmp: IcmpCheck): string {
  switch (icmp.state) {
    case 'skipped': {
      return '-'
    }

    case 'error': {
      return 'ping: error'
    }

    default: {
      const counts = `${icmp.received}/${icmp.sent}`
      if (icmp.received < 2) return `ping: ${counts}`
      return icmp.rttMs === undefined ? counts : `${counts} ${icmp.rttMs.toFixed(2)} ms`
    }
  }
}

function sshText(ssh: SshCheck, color: ChalkInstance): string {
  return ssh.ok ? color.green('ssh: ok') : color.red(`ssh: ${failureWords(ssh.failure.kind)}`)
}

function detail(status: HostStatus, color: ChalkInstance): string {
  const reasons: string[] = []
  if (status.icmp.state === 'error') reasons.push(`ping: ${status.icmp.message}`)
  if (!status.ssh.ok) reasons.push(status.ssh.failure.message)
  return reasons.length === 0 ? '' : color.dim(reasons.join('; '))
}
