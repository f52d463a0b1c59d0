import {posix} from 'node:path'

import {hostPathComponent, remoteRootOf} from './remote-path.js'

// Where tasks live on a host: the tasks feature writes there, the resources probe reads what
// live tasks reserved from there, so the layout is shared.

/** `<remote-root>/tasks`: one sandbox folder per task. */
export function tasksDir(remoteRoot: string): string {
  return posix.join(remoteRootOf(remoteRoot), 'tasks')
}

/**
 * `<remote-root>/tasks/<host>/`: the sandboxes of the tasks one host started, under its inventory
 * name made one path component, so hosts that share one home (NFS) never share a folder.
 */
export function hostTasksDir(remoteRoot: string, host: string): string {
  return posix.join(tasksDir(remoteRoot), hostPathComponent(host))
}
