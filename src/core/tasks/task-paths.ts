import {posix} from 'node:path'

import type {TaskRecord} from './task-store.js'

import {checkFolderName, hostPathComponent, remoteRootOf, resolveRemotePath} from '../remote/remote-path.js'
import {hostTasksDir, tasksDir} from '../remote/tasks-layout.js'

export {hostTasksDir, tasksDir} from '../remote/tasks-layout.js'

/**
 * `<remote-root>/bin/<project>/<host>/`: where a host's copies of the project's script and keep
 * hooks go, one folder per host, so hosts that share one home never replace each other's.
 */
export function hostBinDir(remoteRoot: string, project: string, host: string): string {
  checkFolderName(project, 'project name')
  resolveRemotePath(remoteRoot, '/')
  return posix.join(remoteRootOf(remoteRoot), 'bin', project, hostPathComponent(host))
}

/** The sandbox of one task: `<remote-root>/tasks/<host>/<task id>/`. */
export function taskDir(remoteRoot: string, host: string, id: string): string {
  return posix.join(hostTasksDir(remoteRoot, host), id)
}

/**
 * Where a task's sandbox is: the path its record holds, else (a record of the older layout, or
 * a sandbox found on the host) its host's folder, or the older layout's place when found there.
 */
export function sandboxDirOf(
  remoteRoot: string,
  host: string,
  task: {id: string; record?: Pick<TaskRecord, 'dir' | 'remoteRoot'> | undefined; legacy: boolean},
): string {
  if (task.record !== undefined) return task.record.dir ?? legacyTaskDir(task.record.remoteRoot, task.id)
  return task.legacy ? legacyTaskDir(remoteRoot, task.id) : taskDir(remoteRoot, host, task.id)
}

/** Where the older layout put a sandbox, with no host in its path: `<remote-root>/tasks/<task id>/`. */
export function legacyTaskDir(remoteRoot: string, id: string): string {
  return posix.join(tasksDir(remoteRoot), id)
}
