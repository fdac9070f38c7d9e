import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RedisSessionStore } from '../../../src/services/redis-store.js';
import { runSessionStoreSuite } from './session-store-suite.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';
import { freePort } from '../../helpers/live-server.js';

const SID = 'b'.repeat(32);

let redis: TestRedis | null = null;
let url = '';

before(async () => {
  redis = await startRedis();
  url = redis.url;
});

after(() => redis?.stop());

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
