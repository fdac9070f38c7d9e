/**
 * @module cli/grace — how long a stop (or a retired configuration) waits for requests in flight.
 * GracefulShutdownTimeout / ModpyGracefulShutdownTimeout 0 means "no limit", as in httpd; the
 * loader already supplies the 30 s default when neither is written, so 0 here is always explicit.
 */

/** The longest delay a Node timer accepts (about 24.8 days): "no limit" in practice. */
const NO_LIMIT_MS = 2 ** 31 - 1;

/** The configured grace in milliseconds (never negative: the directives' parser refuses that),
 *  with 0 read as no limit. */
export function drainLimitMs(configuredMs: number): number {
  return configuredMs === 0 ? NO_LIMIT_MS : Math.min(configuredMs, NO_LIMIT_MS);
}
