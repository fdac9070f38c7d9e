/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * A handler's changes to the request made before its first write are in the response head: the
 * worker sends them with `response.head` (docs/protocol.md, "What a phase changed"), and the
 * server applies them before it runs the Header directive, the Range decision and the rest.
 * Under Apache + mod_python the header filter runs when the first bytes leave, with
 * r->subprocess_env and r->headers_in as the handler left them (test/compat checks the same).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLiveServer, type LiveServer } from '../../helpers/live-server.js';

const CONFIG = `
PythonPath "sys.path+['{{ROOT}}/py']"
LogFormat "%U var=%{HEAD_VAR}e note=%{head-note}n user=%u" headsync
CustomLog logs/head_log headsync
<Location /hs>
  SetHandler mod_python
  Header set X-Env-Cond "yes" env=HEAD_VAR
  Header set X-Env-Val "%{HEAD_VAL}e"
  Header echo ^X-Echo-
</Location>
<Location /hs/env_write>
  PythonHandler head_sync::env_write
</Location>
<Location /hs/env_return>
  PythonHandler head_sync::env_return
</Location>
<Location /hs/env_late>
  PythonHandler head_sync::env_late
</Location>
<Location /hs/headers_in>
  PythonHandler head_sync::headers_in
</Location>
<Location /hs/notes_user>
  PythonHandler head_sync::notes_user
</Location>
`;

describe('a Python response head sees what the handler changed before writing', () => {
  let srv: LiveServer;
  before(async () => {
    srv = await startLiveServer({
      config: CONFIG,
      files: { 'py/head_sync.py': readFileSync(join(import.meta.dirname, 'head_sync.py')) },
    });
  });
  after(async () => {
    await srv?.stop();
  });

  const logLine = (path: string): Promise<string> => srv.waitForLogLine('logs/head_log', `${path} `);

  it('Header env= and %{VAR}e see subprocess_env set before a flushed write', async () => {
    const res = await fetch(srv.url('/hs/env_write'));
    assert.equal(await res.text(), 'streamed more');
    assert.equal(res.headers.get('x-env-cond'), 'yes');
    assert.equal(res.headers.get('x-env-val'), 'from-handler');
    assert.equal(await logLine('/hs/env_write'), '/hs/env_write var=1 note=- user=-');
  });

  it('… and before output that leaves at the end of the phase', async () => {
    const res = await fetch(srv.url('/hs/env_return'));
    assert.equal(await res.text(), 'buffered');
    assert.equal(res.headers.get('content-length'), '8');
    assert.equal(res.headers.get('x-env-cond'), 'yes');
    assert.equal(res.headers.get('x-env-val'), 'from-handler');
  });

  it('a change after the head left is not in it, but reaches the server with the phase', async () => {
    const res = await fetch(srv.url('/hs/env_late'));
    assert.equal(await res.text(), 'early');
    assert.equal(res.headers.get('x-env-cond'), null);
    assert.equal(res.headers.get('x-env-val'), '(null)');
    assert.equal(await logLine('/hs/env_late'), '/hs/env_late var=1 note=- user=-');
  });

  it('headers_in changed before writing: Header echo and the Range decision see it', async () => {
    const res = await fetch(srv.url('/hs/headers_in'), { headers: { range: 'bytes=2-4' } });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '0123456789');
    assert.equal(res.headers.get('x-echo-me'), 'echoed');
  });

  it('notes and user set before writing reach the server (the access log)', async () => {
    const res = await fetch(srv.url('/hs/notes_user'));
    assert.equal(await res.text(), 'noted');
    assert.equal(await logLine('/hs/notes_user'), '/hs/notes_user var=- note=n1 user=alice');
  });
});
