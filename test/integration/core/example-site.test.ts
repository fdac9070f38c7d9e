/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * examples/site runs as documented: its httpd.conf (only the port changed) serves the static
 * page, the PythonHandler, a publisher page, a PSP page and the session counter.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT, startLiveServer, type LiveServer } from '../../helpers/live-server.js';

const SITE = join(REPO_ROOT, 'examples', 'site');

function collect(dir: string, out: Record<string, Buffer>): Record<string, Buffer> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === '__pycache__' || name === 'logs' || name === 'conf') continue;
    if (statSync(p).isDirectory()) collect(p, out);
    else out[relative(SITE, p)] = readFileSync(p);
  }
  return out;
}

describe('examples/site', () => {
  let srv: LiveServer;
  before(async () => {
    const conf = readFileSync(join(SITE, 'conf', 'httpd.conf'), 'utf8').replace(/^Listen .*$/m, 'Listen 127.0.0.1:{{PORT}}');
    srv = await startLiveServer({ config: conf, files: collect(SITE, {}) });
  });
  after(async () => {
    await srv?.stop();
  });

  it('serves the static index page', async () => {
    const res = await fetch(srv.url('/'));
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<h1>modpy example site<\/h1>/);
  });

  it('runs the PythonHandler, the publisher and the PSP page', async () => {
    assert.match(await (await fetch(srv.url('/hello/'))).text(), /^Hello from mod_python on modpy!\nuri=\/hello\/ interpreter=127\.0\.0\.1\n$/);
    assert.equal(await (await fetch(srv.url('/pub/index.py/greet?name=you'))).text(), 'Hello, you!\n');
    assert.match(await (await fetch(srv.url('/pub/'))).text(), /^Publisher index/, 'DirectoryIndex index.py runs the publisher');
    assert.match(await (await fetch(srv.url('/psp/?x=1'))).text(), /<h1>Hello from PSP<\/h1>[\s\S]*Your query string: x=1/);
  });

  it('counts visits with a session cookie', async () => {
    const first = await fetch(srv.url('/session/'));
    assert.equal(await first.text(), 'You have visited this page 1 time(s).\n');
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] as string;
    assert.match(cookie, /^pysid=[0-9a-f]{32}$/);
    const second = await fetch(srv.url('/session/'), { headers: { Cookie: cookie } });
    assert.equal(await second.text(), 'You have visited this page 2 time(s).\n');
  });
});
