/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * The mod_python request life-cycle over real HTTP with real Python workers: every phase runs
 * in Apache's order (PythonInitHandler from a <Directory> included — upstream never ran it),
 * Apache's special cases on phase results, content DECLINED → static file, internal_redirect,
 * and the Location short-cut (no filename). Handlers: phases.py; config: site.conf.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLiveServer, type LiveServer } from '../../helpers/live-server.js';

const here = import.meta.dirname;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('mod_python phases', () => {
  let srv: LiveServer;
  before(async () => {
    srv = await startLiveServer({
      config: readFileSync(join(here, 'site.conf'), 'utf8'),
      files: {
        'py/phases.py': readFileSync(join(here, 'phases.py')),
        'htdocs/app/index.txt': 'app file',
        'htdocs/nouser/x.txt': 'x',
        'htdocs/denied/x.txt': 'x',
        'htdocs/fallback/static.txt': 'static after DECLINED',
        'htdocs/static/page.txt': 'the redirect target',
      },
    });
  });
  after(async () => {
    await srv?.stop();
  });

  it('runs every phase in Apache order, the directory PythonInitHandler included', async () => {
    const res = await fetch(srv.url('/app/index.txt'));
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'PostReadRequest Trans Init HeaderParser Access Authen Authz Type Fixup Content');
    // Log and cleanup run after the response: wait for them.
    let log = '';
    for (let i = 0; i < 50 && !/Cleanup/.test(log); i++) {
      await sleep(50);
      try {
        log = readFileSync(join(srv.root, 'py', 'order.log'), 'utf8');
      } catch {
        log = '';
      }
    }
    assert.match(log, /\/app\/index\.txt PostReadRequest Trans Init HeaderParser Access Authen Authz Type Fixup Content Log\n/);
    assert.match(log, /\/app\/index\.txt PostReadRequest Trans Init HeaderParser Access Authen Authz Type Fixup Content Log Cleanup\n/);
    await srv.waitForAccessLog(/- bob \[.*"GET \/app\/index\.txt HTTP\/1\.1" 200/);
  });

  it('turns an authen OK without req.user into 500, and adds WWW-Authenticate to its 401', async () => {
    const noUser = await fetch(srv.url('/nouser/x.txt'));
    assert.equal(noUser.status, 500);
    await noUser.arrayBuffer();
    const denied = await fetch(srv.url('/denied/x.txt'));
    assert.equal(denied.status, 401);
    assert.equal(denied.headers.get('www-authenticate'), 'Basic realm="Denied realm"');
    await denied.arrayBuffer();
  });

  it('serves the static file when the content handler declines', async () => {
    const res = await fetch(srv.url('/fallback/static.txt'));
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'static after DECLINED');
  });

  it('runs Location handlers without mapping a file (the Location short-cut)', async () => {
    const res = await fetch(srv.url('/py/anything'));
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'Hello filename=None interpreter=127.0.0.1');
  });

  it('sends Apache error pages for returned statuses and keeps a handler-written 404', async () => {
    const nf = await fetch(srv.url('/py/notfound'));
    assert.equal(nf.status, 404);
    assert.match(await nf.text(), /<h1>Not Found<\/h1>/);
    const own = await fetch(srv.url('/py/own404'));
    assert.equal(own.status, 404);
    assert.equal(await own.text(), 'my own 404');
  });

  it('applies `Header … early` before the handlers see headers_out', async () => {
    const res = await fetch(srv.url('/py/early'));
    assert.equal(await res.text(), 'X-Early=early-value');
    assert.equal(res.headers.get('x-early'), 'early-value');
  });

  it('follows req.internal_redirect to another URI', async () => {
    const res = await fetch(srv.url('/py/redirect'));
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'the redirect target');
  });
});
