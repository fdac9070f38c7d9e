/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * Core request handling against a real modpy: Alias/AliasMatch, Redirect/RedirectMatch (410),
 * URI path safety (%2e%2e, %00, %2f, ".."), symlinks without FollowSymLinks, ErrorDocument
 * (local, text, external), Basic auth with an htpasswd file, keep-alive, ServerTokens.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { symlink } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { rawRequest, startLiveServer, type LiveServer } from '../../helpers/live-server.js';

const sha = (pw: string) => `{SHA}${createHash('sha1').update(pw).digest('base64')}`;

const CONFIG = `
ServerTokens Prod
Alias /docs {{ROOT}}/docs
AliasMatch ^/img/(.*)\\.png$ {{ROOT}}/images/$1.txt
Redirect /old http://example.test/new
Redirect permanent /moved /page.txt
RedirectMatch 303 ^/match/(\\d+)$ /page.txt?id=$1
Redirect gone /gone
ErrorDocument 404 /errors/notfound.html
<Directory {{ROOT}}/htdocs/strict>
  Options -FollowSymLinks
</Directory>
<Directory {{ROOT}}/htdocs/texterr>
  ErrorDocument 404 "Nothing to see here
</Directory>
<Directory {{ROOT}}/htdocs/exterr>
  ErrorDocument 403 http://example.test/denied
  Require all denied
</Directory>
<Directory {{ROOT}}/htdocs/private>
  AuthType Basic
  AuthName "Members only"
  AuthUserFile {{ROOT}}/conf/htpasswd
  Require valid-user
</Directory>
`;

describe('core request handling', () => {
  let srv: LiveServer;
  before(async () => {
    srv = await startLiveServer({
      config: CONFIG,
      files: {
        'htdocs/page.txt': 'page',
        'htdocs/errors/notfound.html': 'custom 404 page',
        'htdocs/strict/real.txt': 'real',
        'htdocs/loose/real.txt': 'loose real',
        'htdocs/texterr/.keep': '',
        'htdocs/exterr/x.txt': 'x',
        'htdocs/private/secret.txt': 'secret',
        'docs/readme.txt': 'aliased',
        'images/logo.txt': 'logo',
        'outside.txt': 'outside the document root',
        'conf/htpasswd': `alice:${sha('wonderland')}\n`,
      },
    });
    await symlink(`${srv.root}/outside.txt`, `${srv.root}/htdocs/strict/link.txt`);
    await symlink(`${srv.root}/outside.txt`, `${srv.root}/htdocs/loose/link.txt`);
  });
  after(async () => {
    await srv?.stop();
  });

  it('maps Alias and AliasMatch targets', async () => {
    const alias = await fetch(srv.url('/docs/readme.txt'));
    assert.equal(alias.status, 200);
    assert.equal(await alias.text(), 'aliased');
    const match = await fetch(srv.url('/img/logo.png'));
    assert.equal(await match.text(), 'logo', 'AliasMatch substitutes $1');
  });

  it('redirects with Redirect and RedirectMatch, and answers 410 for gone', async () => {
    const ext = await fetch(srv.url('/old/a/b?q=1'), { redirect: 'manual' });
    assert.equal(ext.status, 302);
    assert.equal(ext.headers.get('location'), 'http://example.test/new/a/b?q=1', 'the rest of the path and the query follow');
    assert.match(await ext.text(), /The document has moved <a href="http:\/\/example\.test\/new\/a\/b\?q=1">here<\/a>/);
    const local = await fetch(srv.url('/moved'), { redirect: 'manual' });
    assert.equal(local.status, 301);
    assert.equal(local.headers.get('location'), srv.url('/page.txt'), 'a local target becomes an absolute URL');
    await local.arrayBuffer();
    const match = await fetch(srv.url('/match/42'), { redirect: 'manual' });
    assert.equal(match.status, 303);
    assert.equal(match.headers.get('location'), srv.url('/page.txt?id=42'));
    await match.arrayBuffer();
    const gone = await fetch(srv.url('/gone'));
    assert.equal(gone.status, 410);
    assert.match(await gone.text(), /no longer available/);
  });

  it('rejects unsafe paths as Apache does and keeps serving', async () => {
    const status = async (path: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(await rawRequest(srv.port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`))?.[1]);
    assert.equal(await status('/../outside.txt'), 400, '".." above the root is a 400');
    assert.equal(await status('/%2e%2e/outside.txt'), 400, 'encoded dots are decoded before the dot segments');
    assert.equal(await status('/.%2e/outside.txt'), 400);
    assert.equal(await status('/page%00.txt'), 404, '%00 is a 404');
    assert.equal(await status('/a%2fb'), 404, 'an encoded slash is a 404 (AllowEncodedSlashes Off)');
    assert.equal(await status('/bad%zzescape'), 400, 'a broken escape is a 400');
    assert.equal(await status('/docs/../page.txt'), 200, '".." inside the tree is resolved first');
    assert.equal(await status('/pa%67e.txt'), 200, 'escapes are decoded once');
    await srv.waitForLog(/AH10244: invalid URI path \(\/\.\.\/outside\.txt\)/);
    await srv.waitForLog(/AH00026: found %2f \(encoded '\/'\) in URI path/);
  });

  it('refuses symlinks without FollowSymLinks and follows them by default', async () => {
    const refused = await fetch(srv.url('/strict/link.txt'));
    assert.equal(refused.status, 403);
    await refused.arrayBuffer();
    await srv.waitForLog(/AH00037: Symbolic link not allowed or link target not accessible: .*strict\/link\.txt/);
    const real = await fetch(srv.url('/strict/real.txt'));
    assert.equal(await real.text(), 'real');
    const followed = await fetch(srv.url('/loose/link.txt'));
    assert.equal(await followed.text(), 'outside the document root');
  });

  it('uses ErrorDocument: local page with the error status, literal text, external redirect', async () => {
    const local = await fetch(srv.url('/nowhere'));
    assert.equal(local.status, 404, 'the status stays 404');
    assert.equal(await local.text(), 'custom 404 page');
    const text = await fetch(srv.url('/texterr/missing'));
    assert.equal(text.status, 404);
    assert.equal(await text.text(), 'Nothing to see here');
    const ext = await fetch(srv.url('/exterr/x.txt'), { redirect: 'manual' });
    assert.equal(ext.status, 302);
    assert.equal(ext.headers.get('location'), 'http://example.test/denied');
    await ext.arrayBuffer();
  });

  it('asks for Basic credentials and checks them against the htpasswd file', async () => {
    const none = await fetch(srv.url('/private/secret.txt'));
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Basic realm="Members only"');
    await none.arrayBuffer();
    const auth = (u: string, p: string) => ({ Authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
    const wrong = await fetch(srv.url('/private/secret.txt'), { headers: auth('alice', 'nope') });
    assert.equal(wrong.status, 401);
    await wrong.arrayBuffer();
    const right = await fetch(srv.url('/private/secret.txt'), { headers: auth('alice', 'wonderland') });
    assert.equal(right.status, 200);
    assert.equal(await right.text(), 'secret');
    await srv.waitForAccessLog(/- alice \[.*"GET \/private\/secret\.txt HTTP\/1\.1" 200 6/);
  });

  it('keeps connections alive and honours ServerTokens', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const ports: number[] = [];
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve, reject) => {
        request(srv.url('/page.txt'), { agent }, (res) => {
          assert.equal(res.headers.server, 'Apache', 'ServerTokens Prod');
          ports.push(res.socket.localPort ?? 0);
          res.resume();
          res.on('end', resolve);
        })
          .on('error', reject)
          .end();
      });
    }
    agent.destroy();
    assert.equal(new Set(ports).size, 1, 'the three requests shared one connection');
  });
});
