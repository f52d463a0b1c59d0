/**
 * Where `count` new tasks go: one at a time to the host with the fewest tasks so far (the ones
 * it already runs plus the ones just placed), ties going to the earlier host in inventory
 * order. Hosts in `avoid` (say, the one a task just failed on) are used only when no other
 * host is left. Returns how many tasks each host gets, in inventory order, hosts with none left out.
 */
export function planTaskPlacement(
  hosts: string[],
  running: ReadonlyMap<string, number>,
  count: number,
  avoid: ReadonlySet<string> = new Set(),
): Map<string, number> {
  const preferred = hosts.filter((host) => !avoid.has(host))
  const pool = preferred.length > 0 ? preferred : hosts
  const load = new Map(pool.map((host) => [host, running.get(host) ?? 0]))
  const placed = new Map<string, number>()
  for (let i = 0; i < count && pool.length > 0; i++) {
    let best = pool[0] as string
    for (const host of pool) if ((load.get(host) ?? 0) < (load.get(best) ?? 0)) best = host
    load.set(best, (load.get(best) ?? 0) + 1)
    placed.set(best, (placed.get(best) ?? 0) + 1)
  }

  return new Map(hosts.filter((host) => placed.has(host)).map((host) => [host, placed.get(host) ?? 0]))
}

/** How many of `tasks` run on each host. */
export function countRunning(tasks: ReadonlyArray<{host: string; state: string}>): Map<string, number> {
  const running = new Map<string, number>()
  for (const task of tasks) if (task.state === 'running') running.set(task.host, (running.get(task.host) ?? 0) + 1)
  return running
}
