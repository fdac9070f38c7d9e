/**
 * @module cli/startup-errors — how a failure before the server runs is printed: httpd's shapes
 * for configuration errors ("AH00526: Syntax error on line N of FILE:") and busy ports
 * ("(98)Address already in use: AH00072: make_sock: …").
 */
import { ConfigError, ModpyError } from '../errors.js';

/** Listener failures httpd reports with AH00072, by Node's error code: Linux's errno and its
 *  text as httpd prints them. EACCES counts only from listen() (a log file can raise it too). */
const BIND_FAILURES: Readonly<Record<string, { errno: number; text: string; listenOnly?: boolean }>> = {
  EADDRINUSE: { errno: 98, text: 'Address already in use' },
  EACCES: { errno: 13, text: 'Permission denied', listenOnly: true },
  EADDRNOTAVAIL: { errno: 99, text: 'Cannot assign requested address' },
};

export function describeStartupError(err: unknown): string {
  if (err instanceof ConfigError) return err.format();
  const e = err as (NodeJS.ErrnoException & { address?: string; port?: number }) | null | undefined;
  const bind = e?.code !== undefined && Object.hasOwn(BIND_FAILURES, e.code) ? BIND_FAILURES[e.code] : undefined;
  if (e && bind && (!bind.listenOnly || e.syscall === 'listen')) {
    return `(${bind.errno})${bind.text}: AH00072: make_sock: could not bind to address ${e.address ?? ''}:${e.port ?? ''}\nno listening sockets available, shutting down`;
  }
  if (err instanceof ModpyError) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
