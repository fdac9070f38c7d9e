/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * RedisSession end to end: modpy with PythonOption mod_python.session.session_type RedisSession
 * against a real redis-server started on a free port; the session lives in redis with a TTL.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startLiveServer, type LiveServer } from '../../helpers/live-server.js';
import { startRedis, type TestRedis } from '../../helpers/redis-server.js';

const COUNTER = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'site', 'counter.py'), 'utf8');

describe('RedisSession through the server', () => {
  let redis: TestRedis | undefined;
  let client: Redis;
  let srv: LiveServer;
  before(async () => {
    redis = await startRedis();
    const port = redis.port;
    client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    await client.connect(); // redis already answers PING
    srv = await startLiveServer({
      config: `ModpyPoolDefaults processes=2 python=/usr/bin/python3
<Directory {{ROOT}}/htdocs/sess>
  SetHandler mod_python
  PythonHandler counter
  PythonOption mod_python.session.session_type RedisSession
  PythonOption mod_python.session.redis_url redis://127.0.0.1:${port}/0
</Directory>
`,
      files: { 'htdocs/sess/counter.py': COUNTER },
    });
  });
  after(async () => {
    await srv?.stop();
    client?.disconnect();
    await redis?.stop();
  });

  it('counts across requests and workers, with the record in redis under a TTL', async () => {
    const first = await fetch(srv.url('/sess/'));
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    assert.equal((await first.text()).split(' ')[0], '1');
    const replies = await Promise.all(Array.from({ length: 6 }, async () => (await fetch(srv.url('/sess/'), { headers: { cookie } })).text()));
    assert.deepEqual(replies.map((r) => Number(r.split(' ')[0])).sort((a, b) => a - b), [2, 3, 4, 5, 6, 7]);
    const sid = cookie.split('=')[1] ?? '';
    const ttl = await client.ttl(`modpy:session:${sid}`);
    assert.ok(ttl > 1700 && ttl <= 1800, `the key expires with the session timeout (ttl ${ttl})`);
  });
});
