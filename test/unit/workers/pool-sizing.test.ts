import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PoolSettings } from '../../../src/config/types.js';
import { liveCount, needsSuccessor, pickWorker, shouldGrow } from '../../../src/workers/pool-sizing.js';
import type { Worker, WorkerState } from '../../../src/workers/worker.js';

/** Just what the sizing rules read of a worker. */
function worker(state: WorkerState, load = 0): Worker {
  return { state, load } as Worker;
}

void test('pool sizing: the least-loaded serving worker below the pipeline limit takes the request', () => {
  const busy = worker('ready', 2);
  const light = worker('replacing', 1); // serves until its replacement is ready
  assert.equal(pickWorker([busy, light, worker('starting'), worker('retiring')], 2), light);
  assert.equal(pickWorker([busy, worker('ready', 3)], 2), null, 'all at the pipeline limit');
  const fresh = worker('ready', 0);
  assert.equal(pickWorker([fresh], 0), fresh, 'a pipeline of 0 counts as 1');
  assert.equal(pickWorker([worker('ready', 1)], 0), null);
  assert.equal(liveCount([busy, light, worker('starting'), worker('retiring'), worker('gone')]), 3);
});

void test('pool sizing: one more worker only when none is live or all are busy, one start at a time', () => {
  assert.equal(shouldGrow([], 4), true, 'an empty pool starts one');
  assert.equal(shouldGrow([], 0), true, 'even with maxProcesses 0');
  assert.equal(shouldGrow([worker('ready', 1)], 4), true);
  assert.equal(shouldGrow([worker('ready', 1), worker('ready', 0)], 4), false, 'one is idle');
  assert.equal(shouldGrow([worker('ready', 1), worker('starting')], 4), false, 'one is starting');
  assert.equal(shouldGrow([worker('ready', 1), worker('ready', 1)], 2), false, 'at maxProcesses');
  assert.equal(shouldGrow([worker('ready', 1), worker('retiring')], 2), true, 'a retiring worker does not count');
});

void test('pool sizing: a dead worker has a successor below minProcesses, or below maxProcesses while requests wait', () => {
  const settings = { minProcesses: 2, maxProcesses: 4 } as PoolSettings;
  assert.equal(needsSuccessor(1, 0, settings), true);
  assert.equal(needsSuccessor(2, 0, settings), false);
  assert.equal(needsSuccessor(3, 1, settings), true);
  assert.equal(needsSuccessor(4, 1, settings), false);
  assert.equal(needsSuccessor(0, 0, { minProcesses: 0, maxProcesses: 4 } as PoolSettings), true, 'at least one');
});
