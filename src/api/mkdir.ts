import {mkdirOnHosts, type MkdirReport} from '../core/mkdir/mkdir-on-hosts.js'
import {type FleetOptions, withFleet} from './fleet-options.js'

export interface MkdirOptions extends FleetOptions {
  /** The parent on each host: `~`, relative to the login home, or absolute. */
  path: string
  /** The one folder name to create in it, taken literally. */
  dirName: string
  /** Create a missing parent too (`-p`); default false. */
  parents?: boolean | undefined
}

/** `director mkdir`: creates `<path>/<dirName>` on every host at once, over SFTP. */
export async function mkdir(options: MkdirOptions): Promise<MkdirReport> {
  const request = {path: options.path, dirName: options.dirName, parents: options.parents ?? false}
  return withFleet(options, async ({hosts, connect, fanOut}) => mkdirOnHosts(hosts, request, connect, fanOut))
}
