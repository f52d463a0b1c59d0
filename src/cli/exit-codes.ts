/** The exit codes every command uses; the README documents them. */
export const ExitCode = {
  ok: 0,
  /** Some host (or port, or file) failed; the full report was still printed. */
  someFailed: 1,
  /** Usage or config error: nothing ran. */
  usage: 2,
  /** Interrupted (Ctrl-C) after closing sessions and writing what was collected. */
  interrupted: 130,
} as const
