import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GlobalLocks, checkLockIndex } from '../../../src/services/global-locks.js';

/** Releases `owner`'s most recent hold of `index`, as lock.release does for a request. */
function release(locks: GlobalLocks, index: number, owner: string): void {
  locks.releaseIf(index, (holder) => holder === owner);
}

void test('global locks: waiters get the lock first come, first served', async () => {
  const locks = new GlobalLocks();
  const order: string[] = [];
  await locks.acquire(1, 'a').granted;
  const b = locks.acquire(1, 'b').granted.then(() => order.push('b'));
  const c = locks.acquire(1, 'c').granted.then(() => order.push('c'));
  await Promise.resolve();
  assert.deepEqual(order, [], 'nobody gets a held lock');
  release(locks, 1, 'a');
  await b;
  assert.equal(locks.holder(1), 'b');
  release(locks, 1, 'b');
  await c;
  assert.deepEqual(order, ['b', 'c']);
  release(locks, 1, 'c');
  assert.equal(locks.holder(1), null);
});

void test('global locks: re-entrant for one owner, independent per index', async () => {
  const locks = new GlobalLocks();
  await locks.acquire(3, 'a').granted;
  await locks.acquire(3, 'a').granted;
  assert.equal(locks.tryAcquire(3, 'b'), null);
  assert.notEqual(locks.tryAcquire(4, 'b'), null);
  release(locks, 3, 'a');
  assert.equal(locks.holder(3), 'a', 'still held once');
  release(locks, 3, 'a');
  assert.notEqual(locks.tryAcquire(3, 'b'), null);
});

void test('global locks: dropping a token ends that hold or wait only', async () => {
  const locks = new GlobalLocks();
  const held = locks.acquire(0, 'w1');
  await held.granted;
  const waiting = locks.acquire(0, 'w2');
  locks.drop(waiting.token);
  await assert.rejects(waiting.granted, { code: 'MPY_ERR_LOCK_ABANDONED' });
  release(locks, 0, 'w1'); // released explicitly by the request…
  const later = locks.acquire(0, 'w1'); // …then a later request of the same worker takes it
  await later.granted;
  locks.drop(held.token); // the first request's end-of-request cleanup runs late: a no-op
  assert.equal(locks.holder(0), 'w1', 'the later hold survives');
  locks.drop(later.token);
  assert.equal(locks.holder(0), null);
});

void test('global locks: dropping the tokens of a holder hands over, a dropped waiter inherits nothing', async () => {
  const locks = new GlobalLocks();
  const held = locks.acquire(0, 'gone');
  await held.granted;
  await locks.acquire(5, 'other').granted;
  const abandoned = locks.acquire(5, 'gone');
  const next = locks.acquire(0, 'next');
  assert.equal(locks.isOutstanding(held.token), true);
  locks.drop(held.token);
  locks.drop(abandoned.token);
  assert.equal(locks.isOutstanding(held.token), false);
  assert.equal(locks.isOutstanding(abandoned.token), false);
  await next.granted;
  assert.equal(locks.holder(0), 'next');
  await assert.rejects(abandoned.granted, { code: 'MPY_ERR_LOCK_ABANDONED' });
  release(locks, 5, 'other');
  assert.equal(locks.holder(5), null, 'the dropped waiter did not inherit the lock');
});

void test('global locks: bad input is a coded error', () => {
  const locks = new GlobalLocks();
  assert.throws(() => release(locks, 1, 'a'), { code: 'MPY_ERR_LOCK_NOT_HELD' });
  for (const bad of [-1, 1.5, '2', null]) assert.throws(() => checkLockIndex(bad), { code: 'MPY_ERR_LOCK_BAD_INDEX' });
});
