/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * Overload: with one worker, one request per worker and no queue, a second concurrent Python
 * request is refused with 503 and a Retry-After header; the first one still completes.
 * Handler: test/helpers/handlers/slow.py.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLiveServer, type LiveServer } from '../../helpers/live-server.js';

describe('overload', () => {
  let srv: LiveServer;
  before(async () => {
    srv = await startLiveServer({
      config: `
ModpyPoolDefaults processes=1 pipeline=1 queue=0
PythonPath "sys.path+['{{ROOT}}/py']"
<Location /slow>
  SetHandler mod_python
  PythonHandler slow
</Location>
`,
      files: { 'py/slow.py': readFileSync(join(import.meta.dirname, '..', '..', 'helpers', 'handlers', 'slow.py')) },
    });
  });
  after(async () => {
    await srv?.stop();
  });

  it('answers 503 with Retry-After when the pool and its queue are full', async () => {
    // queue=0 refuses even while the first worker starts: wait until it is up.
    let warm = '';
    for (let i = 0; i < 100 && warm !== 'slept'; i++) {
      warm = await (await fetch(srv.url('/slow?0'), { signal: AbortSignal.timeout(10_000) })).text();
      if (warm !== 'slept') await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(warm, 'slept', 'the worker is up');
    const first = fetch(srv.url('/slow?1.5'), { signal: AbortSignal.timeout(10_000) }).then(async (r) => [r.status, await r.text()]);
    await srv.waitForFile('py/started-1.5'); // the only worker is busy for 1.5 s
    const second = await fetch(srv.url('/slow?0'), { signal: AbortSignal.timeout(10_000) });
    assert.equal(second.status, 503);
    assert.match(second.headers.get('retry-after') ?? '', /^\d+$/);
    assert.match(await second.text(), /temporarily unable to service your\nrequest/);
    assert.deepEqual(await first, [200, 'slept']);
  });
});
