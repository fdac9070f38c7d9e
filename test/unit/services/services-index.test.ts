import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerLockServices, registerSessionServices } from '../../../src/services/index.js';
import { ServiceRegistry, type ServiceContext } from '../../../src/services/registry.js';

function context(workerPid: number, rid?: number): ServiceContext & { end(): void } {
  const cleanups: (() => void)[] = [];
  return {
    interpreter: 'main',
    workerPid,
    rid,
    onEnd: (fn) => cleanups.push(fn),
    end: () => cleanups.splice(0).forEach((fn) => fn()),
  };
}

void test('session services: save/load/delete through the registry, ids and arguments checked', async () => {
  const registry = new ServiceRegistry();
  const services = registerSessionServices(registry, { memory: { sweepIntervalMs: 0 } });
  const ctx = context(1, 1);
  const sid = 'f'.repeat(32);
  assert.equal(await registry.call('session.load', { sid }, ctx), null);
  assert.equal(await registry.call('session.save', { sid, data: 'abc', timeout: 60 }, ctx), true);
  assert.equal(await registry.call('session.load', { sid, store: 'memory' }, ctx), 'abc');
  await registry.call('session.delete', { sid }, ctx);
  assert.equal(await registry.call('session.load', { sid }, ctx), null);
  assert.equal(await registry.call('session.cleanup', {}, ctx), 0);
  await assert.rejects(registry.call('session.load', { sid: '../../etc/passwd' }, ctx), { code: 'MPY_ERR_SESSION_BAD_ID' });
  await assert.rejects(registry.call('session.save', { sid, data: 1, timeout: 5 }, ctx), { code: 'MPY_ERR_SESSION_BAD_ARGUMENT' });
  await assert.rejects(registry.call('session.save', { sid, data: 'x', timeout: 'soon' }, ctx), { code: 'MPY_ERR_SESSION_BAD_ARGUMENT' });
  await registry.call('session.save', { sid, data: 'x', timeout: 0 }, ctx);
  assert.equal(await registry.call('session.load', { sid }, ctx), null, 'a zero timeout expires at once');
  await assert.rejects(registry.call('session.load', { sid, store: 'sqlite' }, ctx), { code: 'MPY_ERR_SESSION_UNKNOWN_STORE' });
  await services.close();
});

void test('lock services: a lock is released when its request ends, waiters then proceed', async () => {
  const registry = new ServiceRegistry();
  const locks = registerLockServices(registry);
  const first = context(100, 7);
  const second = context(200, 1);
  await registry.call('lock.acquire', { index: 2 }, first);
  assert.equal(await registry.call('lock.try', { index: 2 }, second), false);
  const waiting = registry.call('lock.acquire', { index: 2 }, second);
  first.end(); // the request forgot to unlock: its end releases the lock
  await waiting;
  assert.equal(locks.holder(2), '200:1');
  await registry.call('lock.release', { index: 2 }, second);
  assert.equal(locks.holder(2), null);
  await assert.rejects(registry.call('lock.release', { index: 2 }, second), { code: 'MPY_ERR_LOCK_NOT_HELD' });
  await assert.rejects(registry.call('lock.acquire', { index: -3 }, second), { code: 'MPY_ERR_LOCK_BAD_INDEX' });
});

void test('lock services: without request ids, two requests of one worker still exclude each other', async () => {
  const registry = new ServiceRegistry();
  const locks = registerLockServices(registry);
  const a = context(300); // the pipeline may not know the worker-side request id, and a
  const b = context(300); // worker may start b while a waits in a call
  await registry.call('lock.acquire', { index: 1 }, a);
  let bHasIt = false;
  const bWaits = registry.call('lock.acquire', { index: 1 }, b).then(() => (bHasIt = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(bHasIt, false, 'b waits although it runs in the same worker');
  assert.equal(await registry.call('lock.try', { index: 1 }, b), false);
  await registry.call('lock.release', { index: 1 }, a);
  await bWaits;
  a.end(); // a's end-of-request cleanup runs late: b's hold survives
  assert.match(locks.holder(1) ?? '', /^300:#/);
  await registry.call('lock.release', { index: 1 }, b);
  assert.equal(locks.holder(1), null);
  await assert.rejects(registry.call('lock.release', { index: 1 }, context(301)), { code: 'MPY_ERR_LOCK_NOT_HELD' });
});

void test('lock services: a caller that keeps one context (a worker for its own calls) leaves one cleanup, not one per lock', async () => {
  const registry = new ServiceRegistry();
  const locks = registerLockServices(registry);
  const worker = context(400); // Worker hands out the same context for every call it makes itself
  let registered = 0;
  const onEnd = worker.onEnd;
  worker.onEnd = (fn) => {
    registered++;
    onEnd(fn);
  };
  for (let i = 0; i < 1000; i++) {
    await registry.call('lock.acquire', { index: i % 3 }, worker);
    assert.equal(await registry.call('lock.try', { index: 7 }, worker), true);
    await registry.call('lock.release', { index: 7 }, worker);
    await registry.call('lock.release', { index: i % 3 }, worker);
  }
  assert.equal(registered, 1, 'released holds leave nothing to clean up at the end');
  await registry.call('lock.acquire', { index: 5 }, worker);
  const other = context(401, 1);
  const waiting = registry.call('lock.acquire', { index: 5 }, other);
  worker.end(); // the worker exits holding index 5: the waiter gets it
  await waiting;
  assert.equal(locks.holder(5), '401:1');
  for (const index of [0, 1, 2, 7]) assert.equal(locks.holder(index), null);
});
