import {readFileSync} from 'node:fs'

import {UsageError} from '../errors.js'

/**
 * File descriptors one host in flight may hold: its socket, its stdout and stderr files, the
 * small record files written at its end (three at once) and a ping's pipes; rounded up.
 */
const FILES_PER_HOST = 6

/** Descriptors the process holds whatever the fan-out: stdio, node's own, the inventory and logs. */
const BASE_FILES = 64

export interface OpenFilesLimit {
  soft: number
  hard: number
}

/**
 * The `Max open files` line of /proc/<pid>/limits; undefined when there is none (not Linux) or
 * it says `unlimited`. Node raises the soft limit to the hard one as it starts, so on Linux the
 * two are usually equal by the time this is read.
 */
export function parseOpenFilesLimit(limits: string): OpenFilesLimit | undefined {
  const match = /^Max open files\s+(\d+)\s+(\d+)/m.exec(limits)
  if (!match) return undefined
  return {soft: Number(match[1]), hard: Number(match[2])}
}

/** This process's limit, from /proc/self/limits; undefined where that file does not exist. */
export function readOpenFilesLimit(): OpenFilesLimit | undefined {
  try {
    return parseOpenFilesLimit(readFileSync('/proc/self/limits', 'utf8'))
  } catch {
    return undefined
  }
}

/**
 * Refuses, before any host is contacted, a fan-out whose connections would run out of file
 * descriptors half-way (EMFILE on host 900 of 1,000). The message names the numbers and both
 * ways out: a higher `ulimit -n`, or a lower `-f`.
 */
export function checkOpenFiles(hostsAtOnce: number, limit: OpenFilesLimit | undefined): void {
  if (limit === undefined) return
  const needed = BASE_FILES + hostsAtOnce * FILES_PER_HOST
  if (needed <= limit.soft) return
  const fits = Math.max(1, Math.floor((limit.soft - BASE_FILES) / FILES_PER_HOST))
  const hard = limit.hard > limit.soft ? `; the hard limit is ${limit.hard}` : ', which is also the hard limit'
  throw new UsageError(
    `-f ${hostsAtOnce} needs up to ${needed} open files but ulimit -n is ${limit.soft}${hard}: ` +
      `raise it (ulimit -n ${Math.max(needed, 4096)}, as root or via LimitNOFILE/limits.conf) or use -f ${fits} or less`,
  )
}
