/**
 * @module cli/startup-errors — how a failure before the server runs is printed: httpd's shapes
 * for configuration errors ("AH00526: Syntax error on line N of FILE:") and busy ports
 * ("(98)Address already in use: AH00072: make_sock: …").
 */
import { ConfigError, ModpyError } from '../errors.js';

export function describeStartupError(err: unknown): string {
  if (err instanceof ConfigError) return err.format();
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  if (e && e.code === 'EADDRINUSE')
    return `(98)Address already in use: AH00072: make_sock: could not bind to address ${e.address ?? ''}:${e.port ?? ''}\nno listening sockets available, shutting down`;
  if (e && e.code === 'EACCES' && e.syscall === 'listen')
    return `(13)Permission denied: AH00072: make_sock: could not bind to address ${e.address ?? ''}:${e.port ?? ''}\nno listening sockets available, shutting down`;
  if (e && e.code === 'EADDRNOTAVAIL')
    return `(99)Cannot assign requested address: AH00072: make_sock: could not bind to address ${e.address ?? ''}:${e.port ?? ''}\nno listening sockets available, shutting down`;
  if (err instanceof ModpyError) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
