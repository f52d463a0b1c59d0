/** One host's output, as far as folding cares: a digest of stdout and the exit code. */
export interface OutputKey {
  host: string
  /** Anything that is equal exactly when the outputs are (e.g. sha256 of stdout). */
  digest: string
  exitCode: null | number
}

/** Hosts whose stdout and exit code were the same. */
export interface OutputGroup {
  hosts: string[]
  digest: string
  exitCode: null | number
}

/**
 * Folds hosts with identical stdout and exit code into one group (ClusterShell's `-b`).
 * Groups come in the order of their first host; hosts keep their order within a group.
 */
export function foldIdenticalOutput(outputs: OutputKey[]): OutputGroup[] {
  const groups = new Map<string, OutputGroup>()
  for (const {digest, exitCode, host} of outputs) {
    const key = `${exitCode}\0${digest}`
    const group = groups.get(key)
    if (group) group.hosts.push(host)
    else groups.set(key, {hosts: [host], digest, exitCode})
  }

  return [...groups.values()]
}
