import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemorySessionStore } from '../../../src/services/memory-store.js';
import { runSessionStoreSuite } from './session-store-suite.js';

runSessionStoreSuite({ name: 'memory store (shared suite)', newStore: () => new MemorySessionStore({ sweepIntervalMs: 0 }) });

const SID = 'a'.repeat(32);

void test('memory store: a saved record loads until its timeout, then is gone', async () => {
  let now = 1_000_000;
  const store = new MemorySessionStore({ now: () => now, sweepIntervalMs: 0 });
  await store.save(SID, 'data', 10);
  assert.equal(await store.load(SID), 'data');
  now += 9_999;
  assert.equal(await store.load(SID), 'data', 'still valid just before the timeout');
  now += 1;
  assert.equal(await store.load(SID), null, 'expired at the timeout');
  assert.equal(store.size, 0, 'an expired record is dropped when read');
});

void test('memory store: each save restarts the timeout; delete removes', async () => {
  let now = 0;
  const store = new MemorySessionStore({ now: () => now, sweepIntervalMs: 0 });
  await store.save(SID, 'v1', 10);
  now = 8_000;
  await store.save(SID, 'v2', 10);
  now = 15_000;
  assert.equal(await store.load(SID), 'v2');
  await store.delete(SID);
  assert.equal(await store.load(SID), null);
});

void test('memory store: cleanup sweeps expired records and reports how many', async () => {
  let now = 0;
  const store = new MemorySessionStore({ now: () => now, sweepIntervalMs: 0 });
  await store.save('1'.repeat(32), 'x', 1);
  await store.save('2'.repeat(32), 'x', 100);
  now = 5_000;
  assert.equal(await store.cleanup(), 1);
  assert.equal(store.size, 1);
});

void test('memory store: limits — too large a record is refused, the oldest session goes when full', async () => {
  const store = new MemorySessionStore({ maxSessionBytes: 10, maxSessions: 2, sweepIntervalMs: 0 });
  await assert.rejects(store.save(SID, 'x'.repeat(11), 10), { code: 'MPY_ERR_SESSION_TOO_LARGE' });
  await store.save('1'.repeat(32), 'one', 10);
  await store.save('2'.repeat(32), 'two', 10);
  await store.save('1'.repeat(32), 'one again', 10); // now the most recently saved
  await store.save('3'.repeat(32), 'three', 10);
  assert.equal(await store.load('2'.repeat(32)), null, 'least recently saved was dropped');
  assert.equal(await store.load('1'.repeat(32)), 'one again');
  await store.close();
});
