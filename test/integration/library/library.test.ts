/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * The mod_python library on the real server (site/site.conf): publisher mapping and security,
 * PSP pages, sessions shared by two worker processes, cgihandler, the test handler.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { startLiveServer, type LiveServer } from '../../helpers/live-server.js';

const SITE = join(dirname(fileURLToPath(import.meta.url)), 'site');
const site = (name: string): string => readFileSync(join(SITE, name), 'utf8');

describe('mod_python library over HTTP', () => {
  let srv: LiveServer;
  before(async () => {
    srv = await startLiveServer({
      config: site('site.conf'),
      files: {
        'htdocs/pub/index.py': site('index.py'),
        'htdocs/psp/loop.psp': site('loop.psp'),
        'htdocs/psp/footer.inc': site('footer.inc'),
        'htdocs/psp/broken.psp': site('broken.psp'),
        'htdocs/sess/counter.py': site('counter.py'),
        'htdocs/fsess/counter.py': site('counter.py'),
        'htdocs/dsess/counter.py': site('counter.py'),
        'htdocs/cgi/script.py': site('cgi_script.py'),
      },
    });
  });
  after(async () => {
    await srv?.stop();
  });

  it('publisher maps URLs to functions and computes Content-Length', async () => {
    for (const path of ['/pub/', '/pub/index.py', '/pub/index', '/pub/index/index']) {
      const res = await fetch(srv.url(path));
      assert.equal(res.status, 200, `${path} is published`);
      assert.equal(await res.text(), 'publisher index', `${path} reaches index()`);
    }
    const res = await fetch(srv.url('/pub/hello?name=modpy'));
    assert.equal(await res.text(), 'hello modpy', 'query fields become arguments');
    assert.equal(res.headers.get('content-length'), '11', 'unflushed output gets a length');
    assert.equal(res.headers.get('content-type'), 'text/plain', 'plain text is guessed');
    const html = await fetch(srv.url('/pub/page'));
    assert.match(html.headers.get('content-type') ?? '', /^text\/html/, '</html> at the end means HTML');
  });

  it('publisher passes short names and POSTed fields as str (upstream lost both)', async () => {
    const get = await fetch(srv.url('/pub/args?day=1&uid=4&usid=5'));
    assert.equal(await get.text(), "day='1' uid='4' usid='5'", 'keys of <= 3 characters survive');
    const post = await fetch(srv.url('/pub/args'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'day=2&uid=3',
    });
    assert.equal(await post.text(), "day='2' uid='3' usid=None", 'urlencoded body fields reach the function');
  });

  it('publisher receives a large multipart upload spooled to a temporary file', async () => {
    const form = new FormData();
    form.append('note', 'hi');
    form.append('f', new Blob([Buffer.alloc(5 * 1024 * 1024, 1)]), 'big.bin');
    const res = await fetch(srv.url('/pub/upload'), { method: 'POST', body: form });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /^big\.bin 5242880 (BufferedRandom|_TemporaryFileWrapper) note=b'hi'$/, 'the whole file arrives, on disk');
  });

  it('publisher security rules: underscores, modules, classes, function internals, builtin containers', async () => {
    for (const path of ['/pub/_secret', '/pub/index.py/__ANSWER', '/pub/re', '/pub/Klass', '/pub/hello/__code__', '/pub/hello/func_code', '/pub/index/hello/func_globals', '/pub/somedict/keys']) {
      assert.equal((await fetch(srv.url(path))).status, 403, `${path} is forbidden`);
    }
    assert.equal((await fetch(srv.url('/pub/nope'))).status, 404, 'a missing attribute is 404');
    const put = await fetch(srv.url('/pub/'), { method: 'PUT', body: 'x' });
    assert.equal(put.status, 405, 'only GET, POST and HEAD');
    assert.match(put.headers.get('allow') ?? '', /GET/, 'with an Allow header');
  });

  it('publisher nested __auth__: 401 with the realm, then the page with good credentials', async () => {
    const anon = await fetch(srv.url('/pub/private'));
    assert.equal(anon.status, 401);
    assert.equal(anon.headers.get('www-authenticate'), 'Basic realm="Members"');
    const bad = await fetch(srv.url('/pub/private'), { headers: { authorization: 'Basic ' + Buffer.from('alice:x').toString('base64') } });
    assert.equal(bad.status, 401, 'a wrong password is refused');
    const good = await fetch(srv.url('/pub/private'), { headers: { authorization: 'Basic ' + Buffer.from('alice:wonderland').toString('base64') } });
    assert.equal(good.status, 200, 'Basic credentials decode on Python 3 (upstream: 400)');
  });

  it('PSP runs a page with a loop, an include and the form', async () => {
    const res = await fetch(srv.url('/psp/loop.psp?q=x'));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const body = await res.text();
    assert.match(body, /<li>0<\/li>\n<li>1<\/li>\n<li>2<\/li>/, 'the loop body repeats');
    assert.match(body, /<footer>included<\/footer>/, 'the include is inlined');
    assert.match(body, /form: b'x'/, 'form is available to the page (a StringField: bytes, as upstream)');
    assert.equal((await fetch(srv.url('/psp/none.psp'))).status, 404, 'a missing page is 404');
  });

  it('PSP source view with PythonDebug On, and syntax errors name file and line', async () => {
    const view = await fetch(srv.url('/psp/loop.psp_'));
    assert.equal(view.status, 200);
    assert.match(await view.text(), /PSP-produced Python Code/);
    const broken = await fetch(srv.url('/psp/broken.psp'));
    assert.equal(broken.status, 500, 'a page that does not compile is a 500');
    assert.match(await broken.text(), /broken\.psp/, 'the debug page names the file');
    await srv.waitForLog(/PSP syntax error in \S*broken\.psp line 3/);
  });

  it('sessions: one counter shared by two worker processes, exact under concurrency', async () => {
    const first = await fetch(srv.url('/sess/'));
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    assert.match(cookie, /^pysid=[0-9a-f]{32}$/, 'a session cookie is set');
    assert.match(first.headers.get('set-cookie') ?? '', /; path=\/sess\/$/, "its path is the handler's directory under DocumentRoot");
    assert.equal((await first.text()).split(' ')[0], '1');
    const replies = await Promise.all(
      Array.from({ length: 12 }, async () => (await fetch(srv.url('/sess/'), { headers: { cookie } })).text()),
    );
    const counts = replies.map((r) => Number(r.split(' ')[0])).sort((a, b) => a - b);
    assert.deepEqual(counts, Array.from({ length: 12 }, (_, i) => i + 2), 'the per-session lock serialises updates');
    const pids = new Set(replies.map((r) => r.split(' ')[1]));
    assert.equal(pids.size, 2, 'both workers served the same session');
  });

  for (const [kind, dir] of [['FileSession', 'fsess'], ['DbmSession', 'dsess']]) {
    it(`sessions: ${kind} counts exactly with two workers (cross-process locks)`, async () => {
      const first = await fetch(srv.url(`/${dir}/`));
      const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      assert.equal((await first.text()).split(' ')[0], '1');
      const replies = await Promise.all(Array.from({ length: 8 }, async () => (await fetch(srv.url(`/${dir}/`), { headers: { cookie } })).text()));
      const counts = replies.map((r) => Number(r.split(' ')[0])).sort((a, b) => a - b);
      assert.deepEqual(counts, [2, 3, 4, 5, 6, 7, 8, 9]);
    });
  }

  it('cgihandler runs a CGI script: status and headers from stdout, body from stdin', async () => {
    const res = await fetch(srv.url('/cgi/script.py?a=1'), { method: 'POST', body: 'posted' });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('x-cgi'), 'yes');
    assert.equal(await res.text(), 'method=POST query=a=1\nbody=posted\n');
  });

  it('the test handler shows the request', async () => {
    const res = await fetch(srv.url('/mpinfo'), { headers: { 'x-probe': '<probe>' } });
    assert.equal(res.status, 200);
    const body = await res.text();
    assert.match(body, /mod_python test page/);
    assert.match(body, /&lt;probe&gt;/, 'request headers are shown, escaped');
  });
});
