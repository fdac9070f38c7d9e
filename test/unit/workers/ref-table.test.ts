import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REF_CAPACITY, RefTable } from '../../../src/workers/ref-table.js';

void test('a value is defined once, then named by the same number', () => {
  const table = new RefTable();
  const defined: [number, object][] = [];
  const a = Object.freeze({ a: 1 });
  const r1 = table.refOf(a, (ref, v) => defined.push([ref, v]));
  const r2 = table.refOf(a, (ref, v) => defined.push([ref, v]));
  assert.equal(r1, r2);
  assert.deepEqual(defined, [[r1, a]]);
  assert.notEqual(table.refOf({ a: 1 }, () => {}), r1, 'identity, not equality, decides');
});

void test('past the capacity the oldest definition is dropped and a dropped value is defined again under a new number', () => {
  const table = new RefTable();
  // The worker's side: every definition in order, keeping twice the capacity (channel.py REFS_KEPT).
  const worker = new Map<number, object>();
  const define = (ref: number, v: object): void => {
    worker.set(ref, v);
    if (worker.size > 2 * REF_CAPACITY) worker.delete(worker.keys().next().value as number);
  };
  const values = Array.from({ length: REF_CAPACITY + 10 }, (_, i) => ({ i }));
  const first = table.refOf(values[0]!, define);
  for (const v of values.slice(1)) table.refOf(v, define);
  const again = table.refOf(values[0]!, define);
  assert.notEqual(again, first, 'the first value fell out and got a new number');
  // Every number the server would name now is one the worker still has, with the right value.
  for (const v of values.slice(-REF_CAPACITY + 1)) assert.equal(worker.get(table.refOf(v, define)), v);
  assert.equal(worker.get(again), values[0]);
});
