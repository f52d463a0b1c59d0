import type {SandboxFields} from './task-state.js'

/** What one host's list script printed. */
export interface TaskListing {
  /** The host's clock (epoch seconds), for uptimes. */
  clock: number | undefined
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
  const tasks: SandboxFields[] = []
  let current: {fields: SandboxFields; proc?: ProcLine; lead?: ProcLine} | undefined
  const finish = (): void => {
    if (current) tasks.push(judge(current.fields, current.proc, current.lead))
  }

  for (const line of text.split('\n')) {
    const space = line.indexOf(' ')
    const key = space === -1 ? line : line.slice(0, space)
    const value = space === -1 ? '' : line.slice(space + 1)
    if (key === 'clock') clock = toInt(value)
    else if (key === 'task') {
      finish()
      current = {fields: emptyFields(value)}
    } else if (current) readField(current, key, value)
  }

  finish()
  return {clock, tasks}
}

function readField(
  current: {fields: SandboxFields; proc?: ProcLine; lead?: ProcLine},
  key: string,
  value: string,
): void {
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

/** Alive: the pid runs (not a zombie) with the recorded start time and group. */
function judge(fields: SandboxFields, proc: ProcLine | undefined, lead: ProcLine | undefined): SandboxFields {
  const group = fields.pgid === undefined ? undefined : String(fields.pgid)
  const alive =
    proc !== undefined &&
    proc.state !== 'Z' &&
    fields.startTime !== undefined &&
    proc.startTime === fields.startTime &&
    (group === undefined || proc.pgrp === group)
  const wrapperAlive = lead !== undefined && lead.state !== 'Z' && group !== undefined && lead.pgrp === group
  return {...fields, alive, wrapperAlive}
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
  }
}

function toInt(value: string): number | undefined {
  return /^-?\d+$/.test(value) ? Number(value) : undefined
}
