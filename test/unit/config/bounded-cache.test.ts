/** config/bounded-cache: entries per owner, at most `limit` each, cleared when full. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedCache } from '../../../src/config/bounded-cache.js';

void test('entries are kept per owner', () => {
  const cache = new BoundedCache<object, number>(10);
  const a = {};
  const b = {};
  cache.set(a, 'k', 1);
  cache.set(b, 'k', 2);
  assert.equal(cache.get(a, 'k'), 1);
  assert.equal(cache.get(b, 'k'), 2);
  assert.equal(cache.get({}, 'k'), undefined);
});

void test('an owner holds at most `limit` entries: a full map starts afresh', () => {
  const cache = new BoundedCache<object, number>(3);
  const owner = {};
  for (const [i, k] of ['a', 'b', 'c'].entries()) cache.set(owner, k, i);
  assert.deepEqual(['a', 'b', 'c'].map((k) => cache.get(owner, k)), [0, 1, 2]);
  cache.set(owner, 'd', 3);
  assert.deepEqual(['a', 'b', 'c', 'd'].map((k) => cache.get(owner, k)), [undefined, undefined, undefined, 3]);
});
