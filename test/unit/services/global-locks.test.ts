import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GlobalLocks, checkLockIndex } from '../../../src/services/global-locks.js';

void test('global locks: waiters get the lock first come, first served', async () => {
  const locks = new GlobalLocks();
  const order: string[] = [];
  await locks.acquire(1, 'a').granted;
  const b = locks.acquire(1, 'b').granted.then(() => order.push('b'));
  const c = locks.acquire(1, 'c').granted.then(() => order.push('c'));
  await Promise.resolve();
  assert.deepEqual(order, [], 'nobody gets a held lock');
  locks.release(1, 'a');
  await b;
  assert.equal(locks.holder(1), 'b');
  locks.release(1, 'b');
  await c;
  assert.deepEqual(order, ['b', 'c']);
  locks.release(1, 'c');
  assert.equal(locks.holder(1), null);
});

void test('global locks: re-entrant for one owner, independent per index', async () => {
  const locks = new GlobalLocks();
  await locks.acquire(3, 'a').granted;
  await locks.acquire(3, 'a').granted;
  assert.equal(locks.tryAcquire(3, 'b'), null);
  assert.notEqual(locks.tryAcquire(4, 'b'), null);
  locks.release(3, 'a');
  assert.equal(locks.holder(3), 'a', 'still held once');
  locks.release(3, 'a');
  assert.notEqual(locks.tryAcquire(3, 'b'), null);
});

void test('global locks: dropping a token ends that hold or wait only', async () => {
  const locks = new GlobalLocks();
  const held = locks.acquire(0, 'w1');
  await held.granted;
  const waiting = locks.acquire(0, 'w2');
  locks.drop(waiting.token);
  await assert.rejects(waiting.granted, { code: 'MPY_ERR_LOCK_ABANDONED' });
  locks.release(0, 'w1'); // released explicitly by the request…
  const later = locks.acquire(0, 'w1'); // …then a later request of the same worker takes it
  await later.granted;
  locks.drop(held.token); // the first request's end-of-request cleanup runs late: a no-op
  assert.equal(locks.holder(0), 'w1', 'the later hold survives');
  locks.drop(later.token);
  assert.equal(locks.holder(0), null);
});

void test('global locks: releaseAll frees what a dead worker held and hands over', async () => {
  const locks = new GlobalLocks();
  await locks.acquire(0, 'dead').granted;
  await locks.acquire(5, 'other').granted;
  const abandoned = locks.acquire(5, 'dead');
  const next = locks.acquire(0, 'next');
  locks.releaseAll('dead');
  await next.granted;
  assert.equal(locks.holder(0), 'next');
  await assert.rejects(abandoned.granted, { code: 'MPY_ERR_LOCK_ABANDONED' });
  locks.release(5, 'other');
  assert.equal(locks.holder(5), null, 'the dead waiter did not inherit the lock');
});

void test('global locks: bad input is a coded error', () => {
  const locks = new GlobalLocks();
  assert.throws(() => locks.release(1, 'a'), { code: 'MPY_ERR_LOCK_NOT_HELD' });
  for (const bad of [-1, 1.5, '2', null]) assert.throws(() => checkLockIndex(bad), { code: 'MPY_ERR_LOCK_BAD_INDEX' });
});
