/**
 * A cheap look at whether hosts share one home folder (NFS homes): each host prints its home's
 * inode and modification time (`stat -L`), which an NFS export shows the same on every client,
 * behind a mark so that a chatty login shell is ignored. Two hosts with the same pair most likely
 * see one folder. It is a hint for the operator (`status -v`); director's correctness never
 * rests on it: every remote path is per host anyway.
 */
export const HOME_IDENTITY_COMMAND = `printf 'director-home-id:'; stat -L -c '%i:%Y' -- "$HOME"`

const MARK = 'director-home-id:'

/** The home's identity from the command's output (`<inode>:<mtime>`), or undefined if it has none. */
export function parseHomeIdentity(output: string): string | undefined {
  const start = output.lastIndexOf(MARK)
  if (start === -1) return undefined
  const match = /^(\d+:\d+)\s*$/.exec(output.slice(start + MARK.length))
  return match?.[1]
}

/** Groups of two or more hosts with the same home identity, in the order the hosts were given. */
export function findSharedHomes(homes: Array<{host: string; home: string | undefined}>): string[][] {
  const byHome = new Map<string, string[]>()
  for (const {host, home} of homes) {
    if (home === undefined) continue
    const hosts = byHome.get(home)
    if (hosts === undefined) byHome.set(home, [host])
    else hosts.push(host)
  }

  return [...byHome.values()].filter((hosts) => hosts.length > 1)
}
