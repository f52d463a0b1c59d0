/** Seconds between SIGTERM and SIGKILL when tasks are stopped (`task stop`, `keep`), unless `--grace` says otherwise. */
export const DEFAULT_GRACE_SECONDS = 10
