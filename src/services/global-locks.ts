/**
 * @module services/global-locks — mod_python's cross-process global mutexes
 * (`_apache._global_lock`), served by the server so every worker process sees the same locks.
 *
 * Waiters are served first come, first served. A lock is re-entrant for its owner, so a
 * request that locks two keys hashing to the same index does not deadlock itself. Every hold
 * and every wait has a token: the end of the request that made it drops exactly those tokens
 * still outstanding, so a late end-of-request cleanup can never release a hold that a later
 * request on the same worker took.
 */
import { createError } from '../errors.js';
import { IntTable } from '../int-table.js';

interface Hold {
  index: number;
  owner: string;
  waiting: boolean;
  grant: () => void;
  reject: (err: Error) => void;
}

interface LockState {
  owner: string;
  holds: number[]; // tokens, oldest first
  waiters: number[]; // tokens, first come first served
}

export interface LockRequest {
  /** Identifies this hold (or wait) for drop(). */
  token: number;
  /** Resolves once the lock is held; rejects with MPY_ERR_LOCK_ABANDONED if dropped first. */
  granted: Promise<void>;
}

export class GlobalLocks {
  // IntTables, not Maps: tokens change with every request (int-table.ts says why).
  readonly #locks = new IntTable<LockState>();
  readonly #tokens = new IntTable<Hold>();
  #nextToken = 1;

  /** Asks for lock `index` on behalf of `owner`. */
  acquire(index: number, owner: string): LockRequest {
    const token = this.#nextToken++;
    let grant!: () => void;
    let reject!: (err: Error) => void;
    const granted = new Promise<void>((res, rej) => {
      grant = res;
      reject = rej;
    });
    const hold: Hold = { index, owner, waiting: false, grant, reject };
    this.#tokens.set(token, hold);
    const lock = this.#locks.get(index);
    if (!lock) {
      this.#locks.set(index, { owner, holds: [token], waiters: [] });
      grant();
    } else if (lock.owner === owner) {
      lock.holds.push(token);
      grant();
    } else {
      hold.waiting = true;
      lock.waiters.push(token);
    }
    return { token, granted };
  }

  /** Takes lock `index` if free (or already `owner`'s): its token, else null. Never waits. */
  tryAcquire(index: number, owner: string): number | null {
    const lock = this.#locks.get(index);
    if (lock && lock.owner !== owner) return null;
    return this.acquire(index, owner).token;
  }

  /** Releases the most recent hold of `index` if `isCaller(holder)`; else MPY_ERR_LOCK_NOT_HELD. */
  releaseIf(index: number, isCaller: (holder: string) => boolean): void {
    const lock = this.#locks.get(index);
    const token = lock && isCaller(lock.owner) ? lock.holds[lock.holds.length - 1] : undefined;
    if (token === undefined) throw createError('LOCK_NOT_HELD', index);
    this.drop(token);
  }

  /** Ends a hold or a wait if it is still outstanding (a no-op otherwise). */
  drop(token: number): void {
    const hold = this.#tokens.get(token);
    if (!hold) return;
    this.#tokens.delete(token);
    const lock = this.#locks.get(hold.index);
    if (!lock) return;
    if (hold.waiting) {
      lock.waiters = lock.waiters.filter((t) => t !== token);
      hold.reject(createError('LOCK_ABANDONED', hold.index));
      return;
    }
    lock.holds = lock.holds.filter((t) => t !== token);
    if (lock.holds.length === 0) this.#handOver(hold.index, lock);
  }

  /** Whether `token`'s hold or wait has not ended yet. */
  isOutstanding(token: number): boolean {
    return this.#tokens.has(token);
  }

  /** Who holds `index` (for tests and status pages). */
  holder(index: number): string | null {
    return this.#locks.get(index)?.owner ?? null;
  }

  #handOver(index: number, lock: LockState): void {
    const next = lock.waiters.shift();
    const hold = next === undefined ? undefined : this.#tokens.get(next);
    if (next === undefined || !hold) {
      this.#locks.delete(index);
      return;
    }
    lock.owner = hold.owner;
    lock.holds = [next];
    hold.waiting = false;
    // The new owner may already hold re-entrant requests queued behind others: grant them too.
    for (const t of [...lock.waiters]) {
      const w = this.#tokens.get(t);
      if (w && w.owner === hold.owner) {
        lock.waiters = lock.waiters.filter((x) => x !== t);
        lock.holds.push(t);
        w.waiting = false;
        w.grant();
      }
    }
    hold.grant();
  }
}

/** Throws MPY_ERR_LOCK_BAD_INDEX unless `index` is an integer >= 0. */
export function checkLockIndex(index: unknown): number {
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) throw createError('LOCK_BAD_INDEX', String(index));
  return index;
}
