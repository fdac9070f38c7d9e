/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * mod_setenvif end to end: a server-level SetEnvIf (the common HTTP_AUTHORIZATION line) and a
 * directory-level BrowserMatchNoCase reach req.subprocess_env and the access log's %{VAR}e.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLiveServer, type LiveServer } from '../../helpers/live-server.js';

const CONFIG = `
PythonPath "sys.path+['{{ROOT}}/py']"
LogFormat "%U auth=%{HTTP_AUTHORIZATION}e bot=%{IS_BOT}e" seifmt
CustomLog logs/sei_log seifmt
SetEnvIf Authorization "(.*)" HTTP_AUTHORIZATION=$1
<Location /sei>
  SetHandler mod_python
  PythonHandler sei_env
  BrowserMatchNoCase "(bot|crawler)/(\\d+)" IS_BOT=$1-$2
</Location>
`;

const HANDLER = `from mod_python import apache

def handler(req):
    env = req.subprocess_env
    req.content_type = 'text/plain'
    req.write('%s|%s' % (env.get('HTTP_AUTHORIZATION'), env.get('IS_BOT')))
    return apache.OK
`;

describe('SetEnvIf and BrowserMatch variables', () => {
  let srv: LiveServer;
  before(async () => {
    srv = await startLiveServer({ config: CONFIG, files: { 'py/sei_env.py': HANDLER } });
  });
  after(async () => {
    await srv?.stop();
  });

  it('puts them in req.subprocess_env', async () => {
    const res = await fetch(srv.url('/sei'), { headers: { Authorization: 'Bearer t0k', 'User-Agent': 'SomeBot/2 (+x)' } });
    assert.equal(await res.text(), 'Bearer t0k|Bot-2');
    assert.equal(await (await fetch(srv.url('/sei'), { headers: { 'User-Agent': 'Firefox' } })).text(), '|None');
  });

  it("shows them to the access log's %{VAR}e", async () => {
    await (await fetch(srv.url('/sei/log'), { headers: { Authorization: 'Basic eA==', 'User-Agent': 'crawler/7' } })).arrayBuffer();
    const log = join(srv.root, 'logs/sei_log');
    const line = /^\/sei\/log auth=Basic eA== bot=crawler-7$/m;
    for (let i = 0; i < 50 && !line.test(readFileSync(log, 'utf8')); i++) await new Promise((r) => setTimeout(r, 50));
    assert.match(readFileSync(log, 'utf8'), line);
  });
});
