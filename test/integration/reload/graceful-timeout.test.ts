/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * httpd's GracefulShutdownTimeout bounds the drain on SIGTERM (it used to be ignored, so a stop
 * waited the 30 s default for a request that would not finish).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startLiveServer } from '../../helpers/live-server.js';

const sleeper = `import time
from mod_python import apache

def handler(req):
    req.content_type = 'text/plain'
    req.write('started\\n')
    req.flush()
    time.sleep(float(req.args or '0'))
    req.write('finished\\n')
    return apache.OK
`;

describe('GracefulShutdownTimeout', () => {
  it('cuts a request still running when the limit expires', async () => {
    const srv = await startLiveServer({
      config: `GracefulShutdownTimeout 1
PythonPath "sys.path+['{{ROOT}}/py']"
<Location /sleep>
  SetHandler mod_python
  PythonHandler sleeper
</Location>`,
      files: { 'py/sleeper.py': sleeper },
    });
    try {
      const res = await fetch(srv.url('/sleep?20'), { signal: AbortSignal.timeout(30_000) });
      const reader = res.body?.getReader();
      assert.ok(reader);
      const first = await reader.read(); // the handler is running
      assert.match(Buffer.from(first.value ?? []).toString(), /started/);
      const signalled = Date.now();
      srv.signal('SIGTERM');
      assert.equal(await srv.exited(), 0);
      const took = Date.now() - signalled;
      assert.ok(took >= 900 && took < 8000, `the stop took ${took} ms: it should wait about 1 s, not 30 s or the full request`);
      await srv.waitForLog(/MPY0005: graceful shutdown timed out after 1000 ms/);
      await reader.cancel().catch(() => undefined);
    } finally {
      await srv.stop();
    }
  });
});
