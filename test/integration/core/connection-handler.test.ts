/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * PythonConnectionHandler: connections to the vhost that has one talk raw bytes with Python
 * (echo_connection.py); the other Listen port still speaks HTTP.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rawRequest, startLiveServer, type LiveServer } from '../../helpers/live-server.js';

describe('PythonConnectionHandler', () => {
  let srv: LiveServer;
  before(async () => {
    srv = await startLiveServer({
      ports: 2,
      config: `
Listen 127.0.0.1:{{PORT0}}
Listen 127.0.0.1:{{PORT1}}
<VirtualHost 127.0.0.1:{{PORT1}}>
  ServerName echo.test
  PythonPath "sys.path+['{{ROOT}}/py']"
  PythonConnectionHandler echo_connection
</VirtualHost>
`,
      files: { 'htdocs/index.html': 'http here', 'py/echo_connection.py': readFileSync(join(import.meta.dirname, 'echo_connection.py')) },
    });
  });
  after(async () => {
    await srv?.stop();
  });

  it('gives the raw connection to the Python handler', async () => {
    const out = await rawRequest(srv.ports[1] as number, 'hello there\n', 10_000);
    assert.equal(out, 'hi\necho: hello there\n');
  });

  it('survives clients that connect and hang up at once', async () => {
    const { connect } = await import('node:net');
    const done = () => (srv.errorLog().match(/echo_connection done/g) ?? []).length;
    const doneBefore = done();
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve) => {
        const s = connect({ host: '127.0.0.1', port: srv.ports[1] as number }, () => {
          s.resetAndDestroy(); // RST: the handler's first write then fails
          resolve();
        });
        s.on('error', () => resolve());
      });
    }
    // The handler has run (and failed to talk) for all three before the server is asked again.
    for (const end = Date.now() + 10_000; done() < doneBefore + 3; await new Promise((r) => setTimeout(r, 25))) {
      assert.ok(Date.now() < end, `the three reset connections were not all handled:\n${srv.errorLog()}`);
    }
    assert.equal(await rawRequest(srv.ports[1] as number, 'still there\n', 10_000), 'hi\necho: still there\n');
  });

  it('keeps HTTP on the other port', async () => {
    assert.equal(await (await fetch(srv.url('/'))).text(), 'http here');
  });
});
