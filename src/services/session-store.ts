/**
 * @module services/session-store — what a server-side session store does for
 * mod_python.Session (MemorySession, RedisSession). Records are opaque strings (Python
 * pickles them and base64-encodes the bytes); the store only keeps them until they expire.
 */
import { createError } from '../errors.js';

export interface SessionStore {
  /** The record saved for `sid`, or null when absent or expired. */
  load(sid: string): Promise<string | null>;
  /** Store `data` for `sid`; it expires `timeoutSec` seconds after this save (<= 0: at once). */
  save(sid: string, data: string, timeoutSec: number): Promise<void>;
  delete(sid: string): Promise<void>;
  /** Drop expired records now; returns how many were dropped (0 when the store expires them itself). */
  cleanup(): Promise<number>;
  close(): Promise<void>;
}

const SESSION_ID = /^[0-9a-f]{32}$/;

/** Throws MPY_ERR_SESSION_BAD_ID unless `sid` is 32 lower-case hex digits (never a path). */
export function checkSessionId(sid: unknown): string {
  if (typeof sid !== 'string' || !SESSION_ID.test(sid)) throw createError('SESSION_BAD_ID', String(sid).slice(0, 64));
  return sid;
}

/** Throws MPY_ERR_SESSION_BAD_ARGUMENT unless `timeoutSec` is a finite number of seconds
 *  (0 or less is allowed: the record is then already expired, as upstream's load would find). */
export function checkTimeout(timeoutSec: unknown): number {
  if (typeof timeoutSec !== 'number' || !Number.isFinite(timeoutSec)) {
    throw createError('SESSION_BAD_ARGUMENT', `session timeout must be a number of seconds, got ${String(timeoutSec)}`);
  }
  return timeoutSec;
}
