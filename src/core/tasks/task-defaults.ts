/** Seconds between SIGTERM and SIGKILL when tasks are stopped (`task stop`, `keep`), unless `--grace` says otherwise. */
export const DEFAULT_GRACE_SECONDS = 10

/** Seconds between two cycles of `keep`, unless `--interval` says otherwise. */
export const DEFAULT_KEEP_INTERVAL_SECONDS = 15
