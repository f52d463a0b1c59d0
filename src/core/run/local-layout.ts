import {join, resolve} from 'node:path'

/** The default local base folder of run outputs, relative to the current folder. */
export const DEFAULT_OUT_DIR = 'output'

/** `<out>/<project>`: every run of a project, one folder per run id. */
export function projectFolder(outDir: string, project: string): string {
  return resolve(outDir, project)
}

/** `<out>/<project>/<run id>`: summary.json and one folder per host. */
export function runFolder(outDir: string, project: string, runId: string): string {
  return join(projectFolder(outDir, project), runId)
}

/** The files of one host's run inside the run folder. */
export function hostFiles(runDir: string, host: string) {
  const folder = join(runDir, host)
  return {
    folder,
    stdout: join(folder, 'stdout'),
    stderr: join(folder, 'stderr'),
    exitCode: join(folder, 'exit_code'),
    timing: join(folder, 'timing'),
    error: join(folder, 'error'),
    files: join(folder, 'files'),
  }
}

export type HostFiles = ReturnType<typeof hostFiles>
