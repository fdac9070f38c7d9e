/**
 * @module services/global-locks — mod_python's cross-process global mutexes
 * (`_apache._global_lock`), served by the server so every worker process sees the same locks.
 * Waiters are served first come, first served. A lock is re-entrant for its owner (one
 * request), so a request that locks two keys hashing to the same index does not deadlock
 * itself; everything an owner holds or waits for is released when it ends.
 */
import { createError } from '../errors.js';

interface LockState {
  owner: string;
  count: number;
  waiters: { owner: string; grant: () => void; reject: (err: Error) => void }[];
}

export class GlobalLocks {
  readonly #locks = new Map<number, LockState>();

  /** Resolves once `owner` holds lock `index`. */
  acquire(index: number, owner: string): Promise<void> {
    const lock = this.#locks.get(index);
    if (!lock) {
      this.#locks.set(index, { owner, count: 1, waiters: [] });
      return Promise.resolve();
    }
    if (lock.owner === owner) {
      lock.count++;
      return Promise.resolve();
    }
    return new Promise((grant, reject) => lock.waiters.push({ owner, grant, reject }));
  }

  /** Takes lock `index` if it is free (or already `owner`'s); never waits. */
  tryAcquire(index: number, owner: string): boolean {
    const lock = this.#locks.get(index);
    if (lock && lock.owner !== owner) return false;
    if (lock) lock.count++;
    else this.#locks.set(index, { owner, count: 1, waiters: [] });
    return true;
  }

  /** Releases one level of `owner`'s hold; MPY_ERR_LOCK_NOT_HELD if it holds none. */
  release(index: number, owner: string): void {
    const lock = this.#locks.get(index);
    if (!lock || lock.owner !== owner) throw createError('LOCK_NOT_HELD', index);
    if (--lock.count > 0) return;
    this.#handOver(index, lock);
  }

  /** Everything `owner` holds is released and its pending waits are dropped. */
  releaseAll(owner: string): void {
    for (const [index, lock] of [...this.#locks]) {
      const abandoned = lock.waiters.filter((w) => w.owner === owner);
      lock.waiters = lock.waiters.filter((w) => w.owner !== owner);
      for (const w of abandoned) w.reject(createError('LOCK_ABANDONED', index));
      if (lock.owner === owner) this.#handOver(index, lock);
    }
  }

  /** Who holds `index` (for tests and status pages). */
  holder(index: number): string | null {
    return this.#locks.get(index)?.owner ?? null;
  }

  #handOver(index: number, lock: LockState): void {
    const next = lock.waiters.shift();
    if (!next) {
      this.#locks.delete(index);
      return;
    }
    lock.owner = next.owner;
    lock.count = 1;
    next.grant();
  }
}

/** Throws MPY_ERR_LOCK_BAD_INDEX unless `index` is an integer >= 0. */
export function checkLockIndex(index: unknown): number {
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) throw createError('LOCK_BAD_INDEX', String(index));
  return index;
}
