import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamTable } from '../../../src/workers/stream-table.js';

const stream = (id: number) => ({ id });

void test('stream table: streams by id, removed only by the stream registered under that id', () => {
  const table = new StreamTable<{ id: number }>();
  const a = stream(7), b = stream(3), stale = stream(7);
  table.add(a);
  table.add(b);
  assert.equal(table.size, 2);
  assert.equal(table.get(7), a);
  assert.equal(table.get(4), undefined);
  assert.equal(table.remove(stale), false, 'another stream with the same id is not removed');
  assert.equal(table.remove(a), true);
  assert.equal(table.remove(a), false, 'a second removal is refused');
  assert.equal(table.size, 1);
  assert.equal(table.get(7), undefined);
});

void test('stream table: values() lists the streams in id order, as a copy that removals do not change', () => {
  const table = new StreamTable<{ id: number }>();
  const streams = [5, 1, 4294967295, 2].map(stream);
  for (const s of streams) table.add(s);
  const listed = table.values();
  assert.deepEqual(listed.map((s) => s.id), [1, 2, 5, 4294967295]);
  for (const s of listed) table.remove(s);
  assert.equal(listed.length, 4);
  assert.equal(table.size, 0);
  assert.deepEqual(table.values(), []);
});
