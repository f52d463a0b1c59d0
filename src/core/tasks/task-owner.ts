import type {HostIdentity, SandboxFields, SandboxOwner} from './task-state.js'
import type {TaskRecord} from './task-store.js'

/**
 * Whose a sandbox is, seen from one host:
 * - `own`: this host started it (owner file: this inventory name and this machine; an ownerless
 *   sandbox of the older layout: the local record says this host started it);
 * - `rebooted`: this host started it, in an earlier boot: its process is gone whatever its pid says;
 * - `other`: another host started it (another name, another machine, or, ownerless, recorded
 *   on another host): this host never lists, loses or signals it;
 * - `unclaimed`: ownerless (older layout) and not in the local records: no host can tell it is
 *   its own, so none manages it (see docs/tasks-and-settings.md).
 */
export type Ownership = {kind: 'other'; owner: string} | {kind: 'own'} | {kind: 'rebooted'} | {kind: 'unclaimed'}

/**
 * Decides whose a sandbox is (pure). `self` is what the host said of itself in the same exec
 * that read the sandbox; `record` is the local record of that task id, if any.
 */
export function sandboxOwnership(
  fields: Pick<SandboxFields, 'id' | 'legacy' | 'owner'>,
  host: string,
  self: HostIdentity | undefined,
  record: Pick<TaskRecord, 'boot' | 'host' | 'machine'> | undefined,
): Ownership {
  const owner: undefined | {[K in keyof SandboxOwner]: string | undefined} =
    fields.owner ?? (record === undefined ? undefined : {host: record.host, machine: record.machine, boot: record.boot})
  if (owner === undefined)
    // In this host's own folder, before the start script wrote the owner file: a task being started.
    return fields.legacy ? {kind: 'unclaimed'} : {kind: 'own'}
  if (owner.host !== host) return {kind: 'other', owner: owner.host ?? 'another host'}
  if (self !== undefined && owner.machine !== undefined && owner.machine !== self.machine)
    return {kind: 'other', owner: `${owner.host} on machine ${owner.machine}`}
  if (self !== undefined && owner.boot !== undefined && owner.boot !== self.boot) return {kind: 'rebooted'}
  return {kind: 'own'}
}
