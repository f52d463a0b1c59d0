import {mkdir, rename, rm, symlink, unlink, writeFile} from 'node:fs/promises'
import {dirname, join, parse, relative, sep} from 'node:path'

import {UsageError} from '../errors.js'

const WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  ENOENT: 'no such file or folder',
  ENOSPC: 'no space left',
  ENOTDIR: 'a file is in the way',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
}

/**
 * Makes the run's local folder under `outDir` and proves a file can be written in it, before any
 * host is contacted; a UsageError names the folder and what to do. One level at a time: node's
 * recursive mkdir never returns under /proc.
 */
export async function makeRunFolder(outDir: string, folder: string): Promise<void> {
  const fail = (path: string, step: string, error: unknown): never => {
    const code = (error as NodeJS.ErrnoException).code ?? ''
    throw new UsageError(
      `--out ${outDir}: cannot ${step} ${path} (${WORDS[code] ?? code}): give --out a folder you can write`,
    )
  }

  const {root} = parse(folder)
  let path = root
  for (const part of relative(root, folder).split(sep)) {
    path = join(path, part)
    await mkdir(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') fail(path, 'create', error)
    })
  }

  const probe = join(folder, '.director-write-test')
  await writeFile(probe, '').catch((error: unknown) => fail(folder, 'write in', error))
  await unlink(probe)
}

/**
 * Points `<project folder>/latest` at the run (a relative symlink, swapped in by rename, so a
 * reader never finds it missing). Where symlinks cannot be made, there is no `latest`.
 */
export async function markLatest(folder: string): Promise<void> {
  const parent = dirname(folder)
  const temporary = join(parent, `.latest-${relative(parent, folder)}`)
  try {
    await symlink(relative(parent, folder), temporary)
    await rename(temporary, join(parent, 'latest'))
  } catch {
    await rm(temporary, {force: true})
  }
}
