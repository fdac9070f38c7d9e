import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisSessionStore } from '../../../src/services/redis-store.js';
import { runSessionStoreSuite } from './session-store-suite.js';

const REDIS = '/usr/bin/redis-server';
const SID = 'b'.repeat(32);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

let redis: ChildProcess | null = null;
let url = '';

before(async () => {
  const port = await freePort();
  url = `redis://127.0.0.1:${port}/0`;
  redis = spawn(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: 'ignore' });
  // Ready when it accepts a connection.
  for (let i = 0; i < 50; i++) {
    const store = new RedisSessionStore({ url, connectTimeoutMs: 200 });
    try {
      await store.load(SID);
      await store.close();
      return;
    } catch {
      await store.close();
      await sleep(100);
    }
  }
  throw new Error('redis-server did not start');
});

after(() => {
  if (redis?.pid) process.kill(redis.pid, 'SIGTERM');
});

runSessionStoreSuite({ name: 'redis store (shared suite)', newStore: () => new RedisSessionStore({ url, prefix: 'suite:' }) });

void test('redis store: save/load/delete against a real redis-server', async () => {
  const store = new RedisSessionStore({ url });
  assert.equal(await store.load(SID), null);
  await store.save(SID, 'pickled', 60);
  assert.equal(await store.load(SID), 'pickled');
  await store.delete(SID);
  assert.equal(await store.load(SID), null);
  assert.equal(await store.cleanup(), 0, 'redis expires keys itself');
  await store.close();
});

void test('redis store: an unreachable redis is a coded 503 error without the password', async () => {
  const port = await freePort();
  const store = new RedisSessionStore({ url: `redis://user:secret@127.0.0.1:${port}/0`, connectTimeoutMs: 300 });
  await assert.rejects(store.load(SID), (err: Error & { code?: string; status?: number }) => {
    assert.equal(err.code, 'MPY_ERR_SESSION_REDIS');
    assert.equal(err.status, 503);
    assert.ok(!err.message.includes('secret'), err.message);
    return true;
  });
  await store.close();
});
