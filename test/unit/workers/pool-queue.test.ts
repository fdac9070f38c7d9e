import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createError, type ModpyError } from '../../../src/errors.js';
import { PoolQueue, type Bindable } from '../../../src/workers/pool-queue.js';
import type { PythonRequest } from '../../../src/workers/types.js';
import type { Worker } from '../../../src/workers/worker.js';

/** A waiting item that records what happens to it. */
function item(name: string, events: string[]): Bindable {
  return {
    bind: (w: Worker) => events.push(`${name} bound to ${(w as unknown as { name: string }).name}`),
    fail: (err: ModpyError) => events.push(`${name} failed: ${err.code}`),
  } as unknown as Bindable;
}

const worker = (name: string) => ({ name }) as unknown as Worker;

void test('pool queue: first come first served, a requeued request first, until the workers run out', async () => {
  const events: string[] = [];
  const queue = new PoolQueue();
  let opened: PythonRequest | null = null;
  const a = item('a', events);
  queue.push(a, { resolve: (r) => (opened = r), reject: () => events.push('a rejected') });
  queue.push(item('b', events));
  queue.unshift(item('moved', events));
  const workers = [worker('w1'), worker('w2')];
  assert.equal(queue.bindWhile(() => workers.shift() ?? null), false, 'b is left waiting');
  assert.deepEqual(events, ['moved bound to w1', 'a bound to w2']);
  assert.equal(opened, a, "a's open() resolved with it once bound");
  assert.equal(queue.length, 1);
  assert.equal(queue.bindWhile(() => worker('w3')), true);
  assert.equal(queue.length, 0);
});

void test('pool queue: failAll rejects the open() of a request and fails a connection, each with its own error', () => {
  const events: string[] = [];
  const queue = new PoolQueue();
  const errors: ModpyError[] = [];
  const rejected: Error[] = [];
  queue.push(item('request', events), { resolve: () => events.push('resolved'), reject: (err) => rejected.push(err) });
  queue.push(item('connection', events));
  queue.failAll(() => {
    const err = createError('WORKER_SHUTTING_DOWN', 'main');
    errors.push(err);
    return err;
  });
  assert.equal(queue.length, 0);
  assert.equal(errors.length, 2);
  assert.deepEqual(rejected, [errors[0]], 'the request itself is not failed: its open() rejects');
  assert.deepEqual(events, ['connection failed: MPY_ERR_WORKER_SHUTTING_DOWN']);
  assert.equal(queue.bindWhile(() => worker('w')), true, 'nothing left to bind');
  assert.deepEqual(events, ['connection failed: MPY_ERR_WORKER_SHUTTING_DOWN']);
});
