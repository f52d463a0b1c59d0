/**
 * The defaults of the connection options, the same for the library and the CLI's flags. On its
 * own, without imports: the CLI reads it at start-up, before anything loads ssh2.
 */
export const FLEET_DEFAULTS = {
  concurrency: 64,
  connectTimeout: 10,
  retries: 2,
  hostKeyCheck: 'accept-new',
  /** Logins in flight through one bastion at once: see the README's measurements. */
  jumpConcurrency: 8,
} as const
