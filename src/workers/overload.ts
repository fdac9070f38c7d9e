/**
 * @module workers/overload — 503 errors that tell the client when to come back.
 * The pipeline answers them with a `Retry-After: <retryAfterSeconds>` header.
 */
import { createError, type ErrorName, type ModpyError } from '../errors.js';

export interface OverloadError extends ModpyError {
  retryAfterSeconds: number;
}

export function overloadError(name: ErrorName, retryAfterSeconds: number, ...args: (string | number)[]): OverloadError {
  const err = createError(name, ...args) as OverloadError;
  err.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return err;
}

/** The Retry-After value an error carries, if it is an overload error. */
export function retryAfterOf(err: unknown): number | undefined {
  const value = (err as Partial<OverloadError> | null)?.retryAfterSeconds;
  return typeof value === 'number' ? value : undefined;
}
