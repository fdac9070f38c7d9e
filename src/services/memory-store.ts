/**
 * @module services/memory-store — sessions kept in the modpy server's memory, shared by every
 * worker process (mod_python's MemorySession was per process). Expired records are dropped
 * on access, by a periodic sweep, and by cleanup().
 */
import { createError } from '../errors.js';
import type { SessionStore } from './session-store.js';

export interface MemoryStoreOptions {
  /** Largest record accepted, in bytes of its text. @default 4 MiB */
  maxSessionBytes?: number;
  /** Beyond this many sessions the least recently saved one is dropped. @default 100000 */
  maxSessions?: number;
  /** How often expired records are swept; 0 disables the timer. @default 60000 */
  sweepIntervalMs?: number;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

interface Entry {
  data: string;
  expiresAt: number;
}

export class MemorySessionStore implements SessionStore {
  // Map order = save order (a save re-inserts), so the first entry is the least recently saved.
  readonly #entries = new Map<string, Entry>();
  readonly #maxBytes: number;
  readonly #maxSessions: number;
  readonly #now: () => number;
  readonly #timer: NodeJS.Timeout | null;

  constructor(opts: MemoryStoreOptions = {}) {
    this.#maxBytes = opts.maxSessionBytes ?? 4 * 1024 * 1024;
    this.#maxSessions = opts.maxSessions ?? 100_000;
    this.#now = opts.now ?? Date.now;
    const every = opts.sweepIntervalMs ?? 60_000;
    this.#timer = every > 0 ? setInterval(() => this.#sweep(), every) : null;
    this.#timer?.unref(); // never keeps the server alive on its own
  }

  get size(): number {
    return this.#entries.size;
  }

  async load(sid: string): Promise<string | null> {
    const entry = this.#entries.get(sid);
    if (!entry) return null;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(sid);
      return null;
    }
    return entry.data;
  }

  async save(sid: string, data: string, timeoutSec: number): Promise<void> {
    if (data.length > this.#maxBytes) throw createError('SESSION_TOO_LARGE', sid, data.length, this.#maxBytes);
    this.#entries.delete(sid);
    if (timeoutSec <= 0) return; // expired as soon as saved
    this.#entries.set(sid, { data, expiresAt: this.#now() + timeoutSec * 1000 });
    if (this.#entries.size > this.#maxSessions) {
      this.#sweep();
      for (const oldest of this.#entries.keys()) {
        if (this.#entries.size <= this.#maxSessions) break;
        this.#entries.delete(oldest);
      }
    }
  }

  async delete(sid: string): Promise<void> {
    this.#entries.delete(sid);
  }

  async cleanup(): Promise<number> {
    return this.#sweep();
  }

  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#entries.clear();
  }

  #sweep(): number {
    const now = this.#now();
    let dropped = 0;
    for (const [sid, entry] of this.#entries) {
      if (entry.expiresAt <= now) {
        this.#entries.delete(sid);
        dropped++;
      }
    }
    return dropped;
  }
}
