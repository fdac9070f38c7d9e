/**
 * The behaviour every SessionStore shares, run against each implementation
 * (memory-store.test.ts, redis-store.test.ts): `runSessionStoreSuite({ name, newStore })`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SessionStore } from '../../../src/services/session-store.js';

export interface SessionStoreSuite {
  name: string;
  newStore: () => SessionStore | Promise<SessionStore>;
}

const ID = (c: string): string => c.repeat(32);

export function runSessionStoreSuite({ name, newStore }: SessionStoreSuite): void {
  void test(`${name}: a saved record loads back; unknown ids load null`, async () => {
    const store = await newStore();
    assert.equal(await store.load(ID('1')), null);
    await store.save(ID('1'), 'record one', 60);
    assert.equal(await store.load(ID('1')), 'record one');
    await store.close();
  });

  void test(`${name}: a later save replaces the record; delete removes it`, async () => {
    const store = await newStore();
    await store.save(ID('2'), 'v1', 60);
    await store.save(ID('2'), 'v2', 60);
    assert.equal(await store.load(ID('2')), 'v2');
    await store.delete(ID('2'));
    assert.equal(await store.load(ID('2')), null);
    await store.delete(ID('2')); // deleting twice is fine
    await store.close();
  });

  void test(`${name}: records expire after their timeout; timeout <= 0 expires at once`, async () => {
    const store = await newStore();
    const savedAt = Date.now();
    await store.save(ID('3'), 'brief', 1);
    await store.save(ID('4'), 'long', 60);
    await store.save(ID('5'), 'none', 0);
    assert.equal(await store.load(ID('5')), null);
    // Poll for the expiry (bounded) rather than sleeping a guess that races the 1 s timeout.
    while ((await store.load(ID('3'))) !== null) {
      assert.ok(Date.now() - savedAt < 10_000, 'the 1 s record never expired');
      await sleep(50);
    }
    assert.ok(Date.now() - savedAt >= 950, 'expired, but not before its timeout');
    assert.equal(await store.load(ID('4')), 'long', 'still valid');
    await store.cleanup();
    assert.equal(await store.load(ID('4')), 'long', 'a cleanup keeps the records still valid');
    await store.close();
  });

  void test(`${name}: records are text kept exactly (base64 pickles, unicode)`, async () => {
    const store = await newStore();
    const text = 'gASVAAAAAAAAAAB9lC4=' + 'é€😀'.repeat(100);
    await store.save(ID('6'), text, 60);
    assert.equal(await store.load(ID('6')), text);
    await store.close();
  });
}
