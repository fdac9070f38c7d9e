import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IntTable } from '../../src/int-table.js';

void test('int table: get, has, set and delete by integer key, with the size kept', () => {
  const table = new IntTable<string>();
  table.set(7, 'a');
  table.set(3, 'b');
  table.set(7, 'c');
  assert.equal(table.size, 2, 'setting a key again replaces its value');
  assert.equal(table.get(7), 'c');
  assert.equal(table.has(3), true);
  assert.equal(table.get(4), undefined);
  assert.equal(table.has(4), false);
  assert.equal(table.delete(7), true);
  assert.equal(table.delete(7), false, 'a second delete finds nothing');
  assert.equal(table.size, 1);
  assert.equal(table.get(7), undefined);
});

void test('int table: values() lists the values in key order, as a copy that deletes do not change', () => {
  const table = new IntTable<number>();
  // 4294967295 is the largest stream id (ids wrap at 2^32) and not an array index: it still works.
  for (const key of [5, 1, 4294967295, 2]) table.set(key, key);
  const listed = table.values();
  assert.deepEqual(listed, [1, 2, 5, 4294967295]);
  for (const key of listed) table.delete(key);
  assert.equal(listed.length, 4);
  assert.equal(table.size, 0);
  assert.deepEqual(table.values(), []);
});

void test('int table: deleteIf removes a key only while it holds that value', () => {
  const a = { id: 1 };
  const b = { id: 1 };
  const table = new IntTable<{ id: number }>();
  table.set(1, a);
  assert.equal(table.deleteIf(1, b), false, 'another value under the key: kept');
  assert.equal(table.get(1), a);
  assert.equal(table.deleteIf(1, a), true);
  assert.equal(table.size, 0);
  assert.equal(table.deleteIf(1, a), false, 'gone already');
  assert.equal(table.size, 0, 'the size is not counted down twice');
});
