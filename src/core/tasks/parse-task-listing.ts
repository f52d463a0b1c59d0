import type {HostIdentity, SandboxFields, SandboxOwner} from './task-state.js'

import {parseResourceWords} from '../resources/resource-words.js'

/** What one host's list script printed. */
export interface TaskListing {
  /** The host's clock (epoch seconds), for uptimes. */
  clock: number | undefined
  /** The host's machine and boot, read in the same exec (undefined from an older script). */
  self: HostIdentity | undefined
  tasks: SandboxFields[]
}

interface ProcLine {
  state: string
  pgrp: string
  startTime: string
}

/**
 * Parses the output of listTasksScript: `clock N`, then per sandbox `task <id>` and its
 * `<field> <value>` lines. Unknown lines and malformed numbers are ignored: a sandbox half
 * written (a task being started) shows as fields undefined, never as an exception.
 */
export function parseTaskListing(text: string): TaskListing {
  let clock: number | undefined
  const self: Partial<HostIdentity> = {}
  const tasks: SandboxFields[] = []
  let current: Current | undefined
  const finish = (): void => {
    if (current) tasks.push(judge(current))
  }

  for (const line of text.split('\n')) {
    const space = line.indexOf(' ')
    const key = space === -1 ? line : line.slice(0, space)
    const value = space === -1 ? '' : line.slice(space + 1)
    if (key === 'clock') clock = toInt(value)
    else if (key === 'self' && current === undefined) readIdentity(self, value)
    else if (key === 'task') {
      finish()
      current = {fields: emptyFields(value), owner: undefined}
    } else if (current) readField(current, key, value)
  }

  finish()
  const known = self.machine !== undefined && self.boot !== undefined
  return {clock, self: known ? {machine: self.machine ?? '', boot: self.boot ?? ''} : undefined, tasks}
}

interface Current {
  fields: SandboxFields
  owner: Partial<SandboxOwner> | undefined
  proc?: ProcLine
  lead?: ProcLine
}

/** `machine M` or `boot B` (or `host H`, for an owner) into `into`. */
function readIdentity(into: Partial<SandboxOwner>, value: string): void {
  const space = value.indexOf(' ')
  const key = space === -1 ? value : value.slice(0, space)
  const text = space === -1 ? '' : value.slice(space + 1)
  if (key === 'host' || key === 'machine' || key === 'boot') into[key] = text
}

function readField(current: Current, key: string, value: string): void {
  const {fields} = current
  if (key === 'legacy') fields.legacy = true
  else if (key === 'owner') readIdentity((current.owner ??= {}), value)
  else readFileField(current, key, value)
}

function readFileField(current: Current, key: string, value: string): void {
  const {fields} = current
  switch (key) {
    case 'project': {
      fields.project = value
      break
    }

    case 'pid': {
      fields.pid = toInt(value)
      break
    }

    case 'pgid': {
      fields.pgid = toInt(value)
      break
    }

    case 'start_time': {
      fields.startTime = /^\d+$/.test(value) ? value : undefined
      break
    }

    case 'exit_code': {
      fields.exitCode = toInt(value)
      break
    }

    case 'started_at': {
      fields.startedAt = value
      break
    }

    case 'killed': {
      fields.killed = true
      fields.killedAt = value === '' ? undefined : value
      break
    }

    case 'ended_at': {
      fields.endedAt = value
      break
    }

    case 'resources': {
      try {
        fields.request = parseResourceWords(value)
      } catch {}

      break
    }

    case 'signal': {
      fields.signal = /^[A-Z]+$/.test(value) ? value : undefined
      break
    }

    case 'proc':
    case 'lead': {
      const [state = '', pgrp = '', startTime = ''] = value.split(' ')
      current[key] = {state, pgrp, startTime}
      break
    }

    default:
  }
}

/**
 * Alive: the pid runs (not a zombie) with the recorded start time and group. The owner counts
 * only when the file named all three (host, machine, boot).
 */
function judge({fields, lead, owner, proc}: Current): SandboxFields {
  const group = fields.pgid === undefined ? undefined : String(fields.pgid)
  const alive =
    proc !== undefined &&
    proc.state !== 'Z' &&
    fields.startTime !== undefined &&
    proc.startTime === fields.startTime &&
    (group === undefined || proc.pgrp === group)
  const wrapperAlive = lead !== undefined && lead.state !== 'Z' && group !== undefined && lead.pgrp === group
  const complete = owner?.host !== undefined && owner.machine !== undefined && owner.boot !== undefined
  return {
    ...fields,
    alive,
    wrapperAlive,
    owner: complete ? {host: owner.host ?? '', machine: owner.machine ?? '', boot: owner.boot ?? ''} : undefined,
  }
}

function emptyFields(id: string): SandboxFields {
  return {
    id,
    project: undefined,
    pid: undefined,
    pgid: undefined,
    startTime: undefined,
    exitCode: undefined,
    killed: false,
    killedAt: undefined,
    signal: undefined,
    startedAt: undefined,
    endedAt: undefined,
    alive: false,
    wrapperAlive: false,
    owner: undefined,
    legacy: false,
  }
}

function toInt(value: string): number | undefined {
  return /^-?\d+$/.test(value) ? Number(value) : undefined
}
