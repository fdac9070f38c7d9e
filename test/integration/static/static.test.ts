/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * Static files through the default handler: caching headers (ETag in Apache's format,
 * Last-Modified, 304/412), ranges (206/416), Content-Type from TypesConfig/AddType/ForceType,
 * DirectoryIndex, listings with Options Indexes, 403/404/405 pages, HEAD.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLiveServer, type LiveServer } from '../../helpers/live-server.js';

const CONFIG = `
TypesConfig /etc/mime.types
AddType application/x-modpy-test .mpt
<Directory {{ROOT}}/htdocs/forced>
  ForceType text/plain
</Directory>
<Directory {{ROOT}}/htdocs/list>
  Options Indexes
</Directory>
`;

describe('static files', () => {
  let srv: LiveServer;
  before(async () => {
    srv = await startLiveServer({
      config: CONFIG,
      files: {
        'htdocs/index.html': '<p>home</p>\n',
        'htdocs/page.txt': 'abcdefghij',
        'htdocs/data.mpt': 'x',
        'htdocs/noext': 'plain bytes',
        'htdocs/forced/page.html': '<b>not html</b>',
        'htdocs/list/b.txt': 'b',
        'htdocs/list/a.txt': 'a',
        'htdocs/list/sub/x': 'x',
        'htdocs/empty/.keep': '',
        'htdocs/changing.txt': 'first',
        'htdocs/big.bin': Buffer.alloc(200 * 1024, 'z'),
      },
    });
  });
  after(async () => {
    await srv?.stop();
  });

  it('serves a file with Apache-style caching headers', async () => {
    const res = await fetch(srv.url('/page.txt'));
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'abcdefghij');
    assert.equal(res.headers.get('content-type'), 'text/plain', 'type comes from /etc/mime.types');
    assert.match(res.headers.get('etag') ?? '', /^"a-[0-9a-f]+"$/, 'ETag is "<size hex>-<mtime µs hex>" as Apache makes it');
    assert.ok(res.headers.get('last-modified'), 'Last-Modified is sent');
    assert.equal(res.headers.get('accept-ranges'), 'bytes');
    assert.equal(res.headers.get('content-length'), '10');
    assert.match(res.headers.get('server') ?? '', /^Apache\/2\.4\.71 \(compatible; modpy\//);
    assert.ok(res.headers.get('date'), 'Date is sent');
  });

  it('answers conditional requests with 304 and 412', async () => {
    const first = await fetch(srv.url('/page.txt'));
    const etag = first.headers.get('etag') as string;
    const lastModified = first.headers.get('last-modified') as string;
    await first.arrayBuffer();
    const byEtag = await fetch(srv.url('/page.txt'), { headers: { 'If-None-Match': etag } });
    assert.equal(byEtag.status, 304, 'If-None-Match with the current ETag gives 304');
    assert.equal(await byEtag.text(), '');
    const byDate = await fetch(srv.url('/page.txt'), { headers: { 'If-Modified-Since': lastModified } });
    assert.equal(byDate.status, 304, 'If-Modified-Since the Last-Modified gives 304');
    const failed = await fetch(srv.url('/page.txt'), { headers: { 'If-Match': '"nope"' } });
    assert.equal(failed.status, 412, 'If-Match with another ETag gives 412');
    assert.equal(await failed.text(), '', "Apache's 412 for a file has no body…");
    assert.equal(failed.headers.get('etag'), etag, '…and the headers of the file');
  });

  it('serves byte ranges (206) and refuses unsatisfiable ones (416)', async () => {
    const part = await fetch(srv.url('/page.txt'), { headers: { Range: 'bytes=2-4' } });
    assert.equal(part.status, 206);
    assert.equal(await part.text(), 'cde');
    assert.equal(part.headers.get('content-range'), 'bytes 2-4/10');
    const bad = await fetch(srv.url('/page.txt'), { headers: { Range: 'bytes=50-60' } });
    assert.equal(bad.status, 416);
    assert.equal(bad.headers.get('content-range'), 'bytes */10');
    assert.match(await bad.text(), /<h1>Requested Range Not Satisfiable<\/h1>/);
  });

  it('takes Content-Type from AddType and ForceType, and sends none for unknown extensions', async () => {
    const added = await fetch(srv.url('/data.mpt'));
    assert.equal(added.headers.get('content-type'), 'application/x-modpy-test');
    await added.arrayBuffer();
    const forced = await fetch(srv.url('/forced/page.html'));
    assert.equal(forced.headers.get('content-type'), 'text/plain');
    await forced.arrayBuffer();
    const unknown = await fetch(srv.url('/noext'));
    assert.equal(unknown.headers.get('content-type'), null, 'Apache sends no Content-Type it cannot determine');
    await unknown.arrayBuffer();
  });

  it('serves a rewritten file with its new bytes and validators at once (small files come from memory)', async () => {
    const first = await fetch(srv.url('/changing.txt'));
    assert.equal(await first.text(), 'first');
    const etag = first.headers.get('etag');
    writeFileSync(join(srv.root, 'htdocs/changing.txt'), 'second version');
    const second = await fetch(srv.url('/changing.txt'));
    assert.equal(await second.text(), 'second version');
    assert.equal(second.headers.get('content-length'), '14');
    assert.notEqual(second.headers.get('etag'), etag);
    const cond = await fetch(srv.url('/changing.txt'), { headers: { 'If-None-Match': second.headers.get('etag') as string } });
    assert.equal(cond.status, 304, 'the new ETag validates');
    await cond.arrayBuffer();
  });

  it('streams a file too big for the memory cache with the same headers', async () => {
    const res = await fetch(srv.url('/big.bin'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), String(200 * 1024));
    assert.equal(res.headers.get('accept-ranges'), 'bytes');
    assert.match(res.headers.get('etag') ?? '', /^"32000-[0-9a-f]+"$/);
    assert.equal((await res.arrayBuffer()).byteLength, 200 * 1024);
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await fetch(srv.url('/page.txt'), { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), '10');
    assert.equal(await res.text(), '');
  });

  it('serves the DirectoryIndex, redirects a directory without its slash, lists with Indexes', async () => {
    const home = await fetch(srv.url('/'));
    assert.equal(home.status, 200);
    assert.equal(await home.text(), '<p>home</p>\n');
    const redirect = await fetch(srv.url('/list?x=1'), { redirect: 'manual' });
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.get('location'), `${srv.url('/list/')}?x=1`, 'mod_dir keeps the query string');
    await redirect.arrayBuffer();
    const listing = await fetch(srv.url('/list/'));
    assert.equal(listing.status, 200);
    assert.equal(listing.headers.get('content-type'), 'text/html;charset=ISO-8859-1');
    const html = await listing.text();
    assert.match(html, /<title>Index of \/list<\/title>/);
    assert.ok(html.indexOf('a.txt') < html.indexOf('b.txt'), 'names are sorted');
    assert.match(html, /<a href="sub\/"> sub\/<\/a>/, 'directories end with a slash');
    assert.match(html, /<a href="\/"> Parent Directory<\/a>/);
  });

  it('refuses a directory without index or Indexes (403), a missing file (404), PUT (405)', async () => {
    const forbidden = await fetch(srv.url('/empty/'));
    assert.equal(forbidden.status, 403);
    assert.match(await forbidden.text(), /You don't have permission to access this resource/);
    await srv.waitForLog(/AH01276: Cannot serve directory .*empty\/: No matching DirectoryIndex/);
    const missing = await fetch(srv.url('/missing.html'));
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('content-type'), 'text/html; charset=iso-8859-1');
    assert.match(await missing.text(), /^<!DOCTYPE HTML PUBLIC "-\/\/W3C\/\/DTD HTML 4\.01\/\/EN"/);
    const put = await fetch(srv.url('/page.txt'), { method: 'PUT', body: 'x' });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get('allow'), 'HEAD,GET,POST,OPTIONS,TRACE');
    assert.match(await put.text(), /The requested method PUT is not allowed for this URL\./);
  });

  it('writes every request to the access log', async () => {
    await (await fetch(srv.url('/page.txt'))).arrayBuffer();
    await srv.waitForAccessLog(/"GET \/page\.txt HTTP\/1\.1" 200 10/);
    await srv.waitForAccessLog(/"GET \/missing\.html HTTP\/1\.1" 404 \d+/);
  });
});
