/**
 * @module compat/cases/static — what Apache serves without Python: types, ETag/Last-Modified and
 * conditional requests, ranges, indexes, listings, Alias/Redirect, ErrorDocument, Header, and the
 * 301/400/403/404/405/416 pages (every file has the same fixed mtime, see site.ts).
 */
import type { CaseGroup, CompatCase, CompatRequest } from '../lib/case.js';

const ims = 'Mon, 01 Jan 2024 00:00:00 GMT';
const older = 'Sun, 31 Dec 2023 00:00:00 GMT';

function st(name: string, requests: CompatRequest[], extra: Partial<CompatCase> = {}): CompatCase {
  return { name, area: 'static', requests, ...extra };
}

const cases: CompatCase[] = [
  st('static-text-file', [{ path: '@/a.txt', status: 200, bodyHas: 'plain text' }, { method: 'HEAD', path: '@/a.txt', status: 200 }], { files: { 'a.txt': 'plain text file\n' } }),
  st('static-types', [
    { path: '@/p.html', status: 200 }, { path: '@/s.css', status: 200 }, { path: '@/j.js', status: 200 }, { path: '@/d.json', status: 200 },
    { path: '@/i.svg', status: 200 }, { path: '@/x.unknownext', status: 200 }, { path: '@/noext', status: 200 }, { path: '@/a.tar.gz', status: 200 },
  ], { files: { 'p.html': '<p>x</p>\n', 's.css': 'p{}\n', 'j.js': 'var x;\n', 'd.json': '{}\n', 'i.svg': '<svg/>\n', 'x.unknownext': 'u\n', noext: 'n\n', 'a.tar.gz': 'gz\n' } }),
  st('static-if-modified-since', [
    { path: '@/a.txt', headers: { 'If-Modified-Since': ims }, status: 304 },
    { path: '@/a.txt', headers: { 'If-Modified-Since': older }, status: 200 },
  ], { files: { 'a.txt': 'conditional\n' } }),
  st('static-if-none-match', [{ path: '@/a.txt', status: 200 }, { path: '@/a.txt', useEtag: true, status: 304 }, { path: '@/a.txt', headers: { 'If-None-Match': '"nope"' }, status: 200 }], { files: { 'a.txt': 'etag me\n' } }),
  st('static-if-unmodified-since', [{ path: '@/a.txt', headers: { 'If-Unmodified-Since': older }, status: 412 }], { files: { 'a.txt': 'precondition\n' } }),
  st('static-range', [
    { path: '@/r.txt', headers: { Range: 'bytes=0-3' }, status: 206 },
    { path: '@/r.txt', headers: { Range: 'bytes=-4' }, status: 206 },
    { path: '@/r.txt', headers: { Range: 'bytes=10-' }, status: 206 },
  ], { files: { 'r.txt': '0123456789abcdef' } }),
  // RFC 9110 §15.5.17: a 416 should carry Content-Range: bytes */length, which Apache 2.4.71 omits;
  // neither that header nor the error page's framing is something a mod_python application sees.
  st('static-range-unsatisfiable', [{ path: '@/r.txt', headers: { Range: 'bytes=100-' }, status: 416 }], {
    files: { 'r.txt': '0123456789abcdef' }, compare: { ignoreHeaders: ['content-range'], framing: false },
  }),
  st('static-directory-index', [{ path: '@/', status: 200, bodyHas: 'index page' }, { path: '@/index.html', status: 200 }], { files: { 'index.html': '<p>index page</p>\n' } }),
  st('static-directory-slash-redirect', [{ path: '@/sub', status: 301 }, { path: '@/sub?q=1', status: 301 }], { files: { 'sub/index.html': 'sub index\n' } }),
  st('static-directory-index-custom', [{ path: '@/', status: 200, bodyHas: 'home page' }], {
    conf: '<Directory ${CASE}>\n  DirectoryIndex home.html\n</Directory>\n', files: { 'home.html': '<p>home page</p>\n' },
  }),
  st('static-directory-listing', [{ path: '@/', status: 200, bodyHas: 'Index of' }], { files: { 'one.txt': '1\n', 'two.html': '2\n', 'sub/x': 'x\n' } }),
  st('static-listing-forbidden', [{ path: '@/', status: 403 }], { conf: '<Directory ${CASE}>\n  Options -Indexes\n</Directory>\n', files: { 'f.txt': 'f\n' } }),
  st('static-not-found', [{ path: '@/missing.txt', status: 404 }, { path: '@/missing/deeper/x', status: 404 }]),
  st('static-forbidden', [{ path: '@/f.txt', status: 403 }], { conf: '<Directory ${CASE}>\n  Require all denied\n</Directory>\n', files: { 'f.txt': 'f\n' } }),
  // Apache's default handler serves a file for POST too; PUT and DELETE get 405.
  st('static-method-not-allowed', [{ method: 'POST', path: '@/a.txt', body: 'x', status: 200 }, { method: 'PUT', path: '@/a.txt', body: 'x', status: 405 }, { method: 'DELETE', path: '@/a.txt', status: 405 }], { files: { 'a.txt': 'a\n' } }),
  st('static-options', [{ method: 'OPTIONS', path: '@/a.txt', status: 200 }], { files: { 'a.txt': 'a\n' }, compare: { headers: ['allow'] } }),
  st('static-bad-request-path', [{ raw: 'GET /../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', status: 400 }]),
  st('static-percent-encoded-name', [{ path: '@/with%20space.txt', status: 200, bodyHas: 'spaced' }], { files: { 'with space.txt': 'spaced name\n' } }),
  st('static-alias', [{ path: '/static-alias-target/file.txt', status: 200, bodyHas: 'aliased file' }], {
    conf: 'Alias /static-alias-target ${CASE}/real\n', files: { 'real/file.txt': 'aliased file\n' },
  }),
  st('static-redirect-directive', [{ path: '/static-redirect-old/page', status: 302 }, { path: '/static-redirect-perm/page', status: 301 }], {
    conf: 'Redirect /static-redirect-old /static-redirect-new\nRedirect permanent /static-redirect-perm http://example.test/new\n',
  }),
  st('static-error-document-url', [{ path: '@/missing', status: 404, bodyHas: 'custom not found' }], {
    conf: '<Directory ${CASE}>\n  ErrorDocument 404 ${URL}nf.html\n</Directory>\n', files: { 'nf.html': '<p>custom not found</p>\n' },
  }),
  st('static-error-document-text', [{ path: '@/missing', status: 404, bodyHas: 'plain message' }], { conf: '<Directory ${CASE}>\n  ErrorDocument 404 "plain message"\n</Directory>\n' }),
  st('static-header-directive', [{ path: '@/a.txt', status: 200 }], {
    conf: '<Directory ${CASE}>\n  Header set X-Compat "yes"\n  Header append Cache-Control "no-transform"\n</Directory>\n', files: { 'a.txt': 'a\n' },
    compare: { headers: ['x-compat'] },
  }),
  st('static-addtype-forcetype', [{ path: '@/a.weird', status: 200 }, { path: '@/forced/b.txt', status: 200 }], {
    conf: '<Directory ${CASE}>\n  AddType application/x-weird .weird\n</Directory>\n<Directory ${CASE}/forced>\n  ForceType text/x-forced\n</Directory>\n',
    files: { 'a.weird': 'w\n', 'forced/b.txt': 'b\n' },
  }),
  st('static-setenv-and-handler-none', [{ path: '@/a.py', status: 200, bodyHas: 'source shown' }], { files: { 'a.py': '# source shown as a file\n' } }),
];

export const staticGroup: CaseGroup = { name: 'static', cases };
