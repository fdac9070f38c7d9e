/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * The CGI variables a handler adds to req.subprocess_env (mod_python.wsgi's environ,
 * req.add_cgi_vars) reach the server after the phase — the worker sends them packed when the
 * table was empty (docs/protocol.md, "What a phase changed") — and everything that reads
 * subprocess_env there sees them: the access log's %{VAR}e, Header env= on the error page,
 * ErrorDocument's and req.internal_redirect's REDIRECT_* variables.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLiveServer, type LiveServer } from '../../helpers/live-server.js';

const CONFIG = `
PythonPath "sys.path+['{{ROOT}}/py']"
LogFormat "%U uri=%{REQUEST_URI}e probe=%{HTTP_X_PROBE}e script=%{SCRIPT_NAME}e gw=%{GATEWAY_INTERFACE}e mine=%{MINE}e" cgifmt
CustomLog logs/cgi_log cgifmt
<Location /wsgi>
  SetHandler mod_python
  PythonHandler mod_python.wsgi
  PythonOption mod_python.wsgi.application wsgi_env::application
  PythonLogHandler wsgi_env::loghandler
</Location>
<Location /cgi>
  SetHandler mod_python
  PythonHandler wsgi_env::cgi
  ErrorDocument 404 /errdoc
  Header always set X-Env-Probe "%{HTTP_X_PROBE}e" env=GATEWAY_INTERFACE
</Location>
<Location /errdoc>
  SetHandler mod_python
  PythonHandler wsgi_env::errdoc
</Location>
<Location /redirected>
  SetHandler mod_python
  PythonHandler wsgi_env::redirected
</Location>
`;

describe('CGI variables added in Python, read by the server', () => {
  let srv: LiveServer;
  before(async () => {
    srv = await startLiveServer({
      config: CONFIG,
      files: { 'py/wsgi_env.py': readFileSync(join(import.meta.dirname, 'wsgi_env.py')) },
    });
  });
  after(async () => {
    await srv?.stop();
  });

  const get = (path: string): Promise<Response> => fetch(srv.url(path), { headers: { 'x-probe': `p${path.length}` } });

  const logLine = (path: string): Promise<string> => srv.waitForLogLine('logs/cgi_log', `${path} `);

  it("shows a WSGI request's environment to the access log; a later phase still has it", async () => {
    assert.equal(await (await get('/wsgi/x?q=1')).text(), 'probe=p11');
    assert.equal(await logLine('/wsgi/x'), '/wsgi/x uri=/wsgi/x?q=1 probe=p11 script=/wsgi gw=CGI/1.1 mine=-');
    await srv.waitForLog(/wsgi-env loghandler \/wsgi\/x GATEWAY_INTERFACE=CGI\/1\.1/);
  });

  it('sends the whole table when the handler changed it after adding the variables', async () => {
    assert.equal(await (await get('/cgi/mine')).text(), 'ok');
    assert.equal(await logLine('/cgi/mine'), '/cgi/mine uri=/cgi/mine probe=p9 script=/cgi/mine gw=CGI/1.1 mine=1');
  });

  it("lets the error page's Header env= read them", async () => {
    const res = await get('/cgi/gone');
    assert.equal(res.status, 410);
    assert.equal(res.headers.get('x-env-probe'), 'p9');
  });

  it("gives ErrorDocument's request the REDIRECT_* variables", async () => {
    const res = await get('/cgi/missing');
    assert.equal(res.status, 404);
    assert.equal(
      await res.text(),
      'REDIRECT_STATUS=404 REDIRECT_REQUEST_URI=/cgi/missing REDIRECT_HTTP_X_PROBE=p12 REDIRECT_GATEWAY_INTERFACE=CGI/1.1 GATEWAY_INTERFACE=None',
    );
  });

  it('gives req.internal_redirect the REDIRECT_* variables', async () => {
    assert.equal(
      await (await get('/cgi/redirect')).text(),
      'REDIRECT_STATUS=200 REDIRECT_REQUEST_URI=/cgi/redirect REDIRECT_HTTP_X_PROBE=p13 REDIRECT_GATEWAY_INTERFACE=CGI/1.1 GATEWAY_INTERFACE=None',
    );
  });
});
