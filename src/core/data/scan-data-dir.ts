import {lstatSync, readdirSync, type Stats} from 'node:fs'
import {lstat} from 'node:fs/promises'
import {join} from 'node:path'

import {UsageError} from '../errors.js'

/** The local state folder inside the data folder; never distributed. */
export const STATE_DIR_NAME = '.director'

/** The original tool's data files. */
export const DEFAULT_EXTENSIONS = ['txt', 'zip', 'gz']

export interface DataFile {
  /** Path relative to the data folder, with `/` separators: also the path on the host. */
  rel: string
  abs: string
  size: number
  /** Modification time when scanned (ms). */
  mtimeMs: number
}

export interface SkippedFile {
  rel: string
  reason: 'reserved name' | 'socket' | 'special' | 'symlink' | 'unreadable'
}

export interface ScanResult {
  files: DataFile[]
  skipped: SkippedFile[]
}

export interface ScanOptions {
  /** Extensions without the dot (`txt`, `json`); undefined takes every regular file (--all). */
  extensions: string[] | undefined
}

/**
 * Walks the data folder. Regular files with a chosen extension are data; symlinks, sockets
 * and other special files are listed as skipped, never followed. Sorted by path, so runs are
 * deterministic. A missing folder is a usage error; an empty one is the caller's to judge.
 */
export async function scanDataDir(dir: string, options: ScanOptions): Promise<ScanResult> {
  const top = await lstat(dir).catch(() => undefined)
  if (top === undefined) throw new UsageError(`data folder ${dir} does not exist`)
  if (!top.isDirectory()) throw new UsageError(`${dir} is not a folder: give the folder that holds the data files`)
  const result: ScanResult = {files: [], skipped: []}
  walk(dir, '', options, result)
  result.files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))
  return result
}

/** The mistake of a folder that holds no data files and never did (no earlier run delivered any). */
export function noDataError(dir: string, extensions: string[] | undefined): UsageError {
  const which = extensions === undefined ? 'files' : `files ending in ${extensions.map((e) => `.${e}`).join(', ')}`
  return new UsageError(`no data ${which} in ${dir} (choose others with --ext txt,json or take every file with --all)`)
}

/**
 * Synchronous on purpose: each lstat awaited in turn through the thread pool made a walk of
 * 22,280 files take 3.0 s; synchronous calls take 0.15 s. `relDir` is `dir` relative to the
 * data folder, with `/` separators ('' at the top).
 */
function walk(dir: string, relDir: string, options: ScanOptions, result: ScanResult): void {
  let entries
  try {
    entries = readdirSync(dir, {withFileTypes: true})
  } catch {
    result.skipped.push({rel: relDir, reason: 'unreadable'})
    return
  }

  for (const entry of entries) {
    const abs = join(dir, entry.name)
    const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`
    if (entry.isDirectory()) {
      if (relDir === '' && entry.name === STATE_DIR_NAME) continue
      walk(abs, rel, options, result)
    } else if (entry.isFile()) {
      if (!hasExtension(entry.name, options.extensions)) continue
      // Names director itself uses on the hosts: such a file would be taken for ours there.
      if (entry.name.startsWith('.director-')) {
        result.skipped.push({rel, reason: 'reserved name'})
        continue
      }

      const stats = lstatOrNothing(abs)
      // A file that vanished between readdir and lstat is simply not there.
      if (stats !== undefined) result.files.push({rel, abs, size: stats.size, mtimeMs: stats.mtimeMs})
    } else if (entry.isSymbolicLink()) {
      result.skipped.push({rel, reason: 'symlink'})
    } else if (entry.isSocket()) {
      result.skipped.push({rel, reason: 'socket'})
    } else {
      result.skipped.push({rel, reason: 'special'})
    }
  }
}

/** A synchronous lstat (about 5 us), undefined for a path that is gone or cannot be read. */
export function lstatOrNothing(path: string): Stats | undefined {
  try {
    return lstatSync(path, {throwIfNoEntry: false})
  } catch {
    return undefined
  }
}

function hasExtension(name: string, extensions: string[] | undefined): boolean {
  if (extensions === undefined) return true
  const lower = name.toLowerCase()
  return extensions.some((extension) => lower.endsWith(`.${extension.toLowerCase()}`))
}

/** Reads `--ext txt,.json, gz` into `['txt', 'json', 'gz']`. */
export function parseExtensions(text: string): string[] {
  const extensions = text
    .split(',')
    .map((part) => part.trim().replace(/^\./, ''))
    .filter(Boolean)
  if (extensions.length === 0 || extensions.some((e) => e.includes('/'))) {
    throw new UsageError(`--ext "${text}": give extensions separated by commas, e.g. txt,json,gz`)
  }

  return extensions
}
