/** What two ICMP echo requests found, read from iputils `ping` output. */
export type PingOutcome =
  {state: 'replied'; sent: number; received: number; rttMs: number | undefined} | {state: 'error'; message: string}

/**
 * Reads `ping -c 2` output: the `N packets transmitted, M received` line and the average of
 * `rtt min/avg/max/mdev`. Without a statistics line, the first line of stderr is the reason
 * (unknown host, network unreachable).
 */
export function parsePingOutput(stdout: string, stderr: string): PingOutcome {
  const counts = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(stdout)
  if (!counts) {
    const reason = (stderr.trim() || stdout.trim()).split('\n')[0] ?? ''
    return {state: 'error', message: reason.replace(/^ping: /, '') || 'ping printed no statistics'}
  }

  const rtt = /= [\d.]+\/([\d.]+)\/[\d.]+/.exec(stdout)
  return {
    state: 'replied',
    sent: Number(counts[1]),
    received: Number(counts[2]),
    rttMs: rtt ? Number(rtt[1]) : undefined,
  }
}
