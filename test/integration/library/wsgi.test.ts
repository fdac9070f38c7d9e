/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * PythonHandler mod_python.wsgi with unchanged framework apps (apps/): a Flask app with forms,
 * cookies, redirects, uploads and streaming; the Django admin login (sqlite in a temp dir,
 * migrate + createsuperuser in the setup). Pools run /usr/bin/python3 (Debian's flask/django).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { startLiveServer, type LiveServer } from '../../helpers/live-server.js';

const APPS = join(dirname(fileURLToPath(import.meta.url)), 'apps');
const PYTHON = '/usr/bin/python3';

const CONFIG = `
# Flask at /flask, Django at /django, both through mod_python.wsgi.
ModpyPoolDefaults processes=1 python=${PYTHON}
PythonPath "sys.path+['${APPS}']"
<Location /flask>
  SetHandler mod_python
  PythonHandler mod_python.wsgi
  PythonOption mod_python.wsgi.application flask_app::app
</Location>
<Location /django>
  SetHandler mod_python
  PythonHandler mod_python.wsgi
  PythonOption mod_python.wsgi.application django_site.wsgi::application
</Location>
`;

/** Cookie jar: name=value pairs from Set-Cookie headers. */
function cookiesOf(res: Response, jar: Map<string, string> = new Map()): Map<string, string> {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (pair && eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return jar;
}
const cookieHeader = (jar: Map<string, string>): string => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

describe('WSGI frameworks under mod_python.wsgi', () => {
  let srv: LiveServer;
  let dbDir: string;
  before(async () => {
    dbDir = mkdtempSync(join(tmpdir(), 'modpy-django-'));
    const env = { ...process.env, PYTHONPATH: APPS, DJANGO_SETTINGS_MODULE: 'django_site.settings', MODPY_DJANGO_DB: join(dbDir, 'db.sqlite3') };
    execFileSync(PYTHON, ['-m', 'django', 'migrate', '-v0'], { env });
    execFileSync(PYTHON, ['-m', 'django', 'createsuperuser', '--noinput', '--username', 'admin', '--email', 'admin@example.com'], {
      env: { ...env, DJANGO_SUPERUSER_PASSWORD: 'modpy-pw' },
    });
    srv = await startLiveServer({ config: CONFIG, env: { MODPY_DJANGO_DB: join(dbDir, 'db.sqlite3') } });
  });
  after(async () => {
    await srv?.stop();
    rmSync(dbDir, { recursive: true, force: true });
  });

  it('Flask: pages, form POST setting a cookie, the cookie read back', async () => {
    assert.equal(await (await fetch(srv.url('/flask/'))).text(), 'flask home');
    const post = await fetch(srv.url('/flask/form'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Zo%C3%AB',
    });
    assert.equal(post.status, 200);
    assert.equal(await post.text(), 'hello Zoë');
    const jar = cookiesOf(post);
    assert.ok(jar.has('name'), 'Flask set its cookie');
    const who = await fetch(srv.url('/flask/whoami'), { headers: { cookie: cookieHeader(jar) } });
    assert.match(await who.text(), /^cookie=/, 'the cookie comes back to Flask');
  });

  it('Flask: the status and Content-Type of the app are applied (upstream sent 200)', async () => {
    const go = await fetch(srv.url('/flask/go'), { redirect: 'manual' });
    assert.equal(go.status, 302, 'redirect status');
    assert.match(go.headers.get('location') ?? '', /\/flask\/whoami$/, 'SCRIPT_NAME is the Location');
    assert.equal((await fetch(srv.url('/flask/missing'))).status, 404);
    const busy = await fetch(srv.url('/flask/busy'));
    assert.equal(busy.status, 429);
    assert.equal(busy.headers.get('content-type'), 'text/x-busy');
  });

  it('Flask: PATH_INFO is latin-1 per PEP 3333, so UTF-8 paths decode right', async () => {
    const res = await fetch(srv.url('/flask/path/Zo%C3%AB'));
    assert.equal(await res.text(), 'name=Zoë script_root=/flask');
  });

  it('Flask: multipart upload and a streamed (generator) body', async () => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(100_000, 7)]), 'blob.bin');
    const up = await fetch(srv.url('/flask/upload'), { method: 'POST', body: form });
    assert.equal(await up.text(), 'blob.bin:100000');
    assert.equal(await (await fetch(srv.url('/flask/stream'))).text(), 'part0;part1;part2;');
  });

  it('Flask: wsgi.errors goes to the error log', async () => {
    assert.equal(await (await fetch(srv.url('/flask/log'))).text(), 'logged');
    await srv.waitForLog(/flask-says-hello-to-the-error-log/);
  });

  it('Django: the admin login works end to end', async () => {
    const jar = new Map<string, string>();
    const page = await fetch(srv.url('/django/admin/login/?next=/django/admin/'));
    assert.equal(page.status, 200);
    cookiesOf(page, jar);
    const html = await page.text();
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(html)?.[1];
    assert.ok(token, 'the login form carries a CSRF token');
    assert.ok(jar.has('csrftoken'), 'and a CSRF cookie');
    const login = await fetch(srv.url('/django/admin/login/?next=/django/admin/'), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar), referer: srv.url('/django/admin/login/') },
      body: new URLSearchParams({ csrfmiddlewaretoken: token, username: 'admin', password: 'modpy-pw', next: '/django/admin/' }).toString(),
    });
    assert.equal(login.status, 302, 'a good login redirects');
    cookiesOf(login, jar);
    assert.ok(jar.has('sessionid'), 'Django started a session');
    const admin = await fetch(srv.url('/django/admin/'), { headers: { cookie: cookieHeader(jar) } });
    assert.equal(admin.status, 200);
    assert.match(await admin.text(), /Site administration/, 'the admin index is shown');
  });
});
