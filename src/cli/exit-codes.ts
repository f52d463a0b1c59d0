/** The exit codes every command uses; the README documents them. */
export const ExitCode = {
  ok: 0,
  /** Some host (or port, or file) failed; the full report was still printed. */
  someFailed: 1,
  /** Usage or config error: nothing ran. */
  usage: 2,
  /** Interrupted (Ctrl-C) after closing sessions and writing what was collected. */
  interrupted: 130,
  /** Stopped by SIGTERM, likewise after closing sessions and writing what was collected. */
  terminated: 143,
} as const
