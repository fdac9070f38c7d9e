/**
 * @module compat/cases/methods — req methods (spec §4.3): output framing, body reading,
 * sendfile, add_handler, internal_redirect, auth helpers, allow_methods, CGI variables,
 * conditional requests, no_cache.
 */
import type { CaseGroup, CompatCase } from '../lib/case.js';
import { moduleName, py } from './helpers.js';

const M = moduleName;

const cases: CompatCase[] = [
  py('write-flush-chunked', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        req.write('one;')
        req.write('two;')
        return apache.OK
  `, [{ path: '@/x', status: 200, bodyHas: 'one;two;' }]),

  py('write-noflush-length', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        req.write('one;', 0)
        req.write('two;', 0)
        return apache.OK
  `, [{ path: '@/x', status: 200, bodyHas: 'one;two;' }]),

  py('write-explicit-flush', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        req.write('one;', 0)
        req.flush()
        req.write('two;', 0)
        return apache.OK
  `, [{ path: '@/x', status: 200 }]),

  py('write-str-utf8-and-bytes', 'methods', `
    def handler(req):
        req.content_type = 'text/plain; charset=utf-8'
        req.write('caf\\u00e9|', 0)
        req.write(b'raw\\xff|', 0)
        return apache.OK
  `, [{ path: '@/x', status: 200 }]),

  py('write-http10-client', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        req.write('streamed to 1.0')
        return apache.OK
  `, [{ raw: 'GET @/x HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n', status: 200 }]),

  py('set-content-length', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        req.set_content_length(5)
        req.write('12345')
        return apache.OK
  `, [{ path: '@/x', status: 200 }]),

  py('read-whole-body', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        data = req.read()
        req.write('%r %d' % (data, req.read_length), 0)
        return apache.OK
  `, [{ method: 'POST', path: '@/x', body: 'hello body', status: 200, bodyHas: "b'hello body'" }, { path: '@/x', status: 200 }]),

  py('read-in-pieces', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        parts = [req.read(4), req.read(4), req.read(100), req.read(10)]
        req.write(repr(parts), 0)
        return apache.OK
  `, [{ method: 'POST', path: '@/x', body: 'abcdefghijk', status: 200 }]),

  py('readline-and-readlines', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        first = req.readline()
        short = req.readline(3)
        rest = req.readlines()
        req.write(repr((first, short, rest)), 0)
        return apache.OK
  `, [{ method: 'POST', path: '@/x', body: 'line one\nline two\nline three\nend', status: 200 }]),

  py('readlines-sizehint', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        req.write(repr(req.readlines(5)), 0)
        return apache.OK
  `, [{ method: 'POST', path: '@/x', body: 'aa\nbb\ncc\ndd\n', status: 200 }]),

  // read() refuses chunked request bodies by raising SERVER_RETURN(411) (spec §4.3).
  py('read-chunked-request-body', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        try:
            req.read()
        except Exception as e:
            req.write('%s %r' % (type(e).__name__, e.args), 0)
        return apache.OK
  `, [{ raw: 'POST @/x HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n', status: 200, bodyHas: 'SERVER_RETURN (411,)' }]),

  py('discard-request-body', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        rv = req.discard_request_body()
        req.write('discard=%r remaining=%r' % (rv, req.read()), 0)
        return apache.OK
  `, [{ method: 'POST', path: '@/x', body: 'ignored', status: 200 }]),

  py('sendfile-whole', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        n = req.sendfile(req.filename[:req.filename.rindex('/')] + '/data.txt')
        req.write('|sent=%d' % n, 0)
        return apache.OK
  `, [{ path: '@/x', status: 200 }], { files: { 'data.txt': '0123456789abcdef' } }),

  py('sendfile-offset-length', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        d = req.filename[:req.filename.rindex('/')]
        n = req.sendfile(d + '/data.txt', 4, 6)
        m = req.sendfile(d + '/data.txt', 10, 6)
        req.write('|%d|%d' % (n, m), 0)
        return apache.OK
  `, [{ path: '@/x', status: 200, bodyHas: '456789abcdef|6|6' }], { files: { 'data.txt': '0123456789abcdef' } }),

  py('sendfile-missing', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        try:
            req.sendfile('/nonexistent/compat/file')
        except IOError as e:
            req.write('IOError', 0)
        return apache.OK
  `, [{ path: '@/x', status: 200, bodyHas: 'IOError' }]),

  py('add-handler-current-phase', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        req.write('first;')
        req.add_handler('PythonHandler', '${M('add-handler-current-phase')}::added')
        return apache.OK
    def added(req):
        req.write('added;')
        return apache.OK
  `, [{ path: '@/x', status: 200, bodyHas: 'first;added;' }]),

  py('add-handler-later-phase', 'methods', `
    def fixuphandler(req):
        req.add_handler('PythonHandler', '${M('add-handler-later-phase')}::late')
        return apache.OK
    def late(req):
        req.content_type = 'text/plain'
        req.write('late handler ran')
        return apache.OK
  `, [{ path: '@/x', status: 200, bodyHas: 'late handler ran' }], {
    handler: `${M('add-handler-later-phase')}::late_missing_is_replaced`,
  }),

  py('add-handler-bad-phase', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        try:
            req.add_handler('PythonBogusHandler', 'x')
        except IndexError:
            req.write('IndexError', 0)
        return apache.OK
  `, [{ path: '@/x', status: 200, bodyHas: 'IndexError' }]),

  py('internal-redirect-prev', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        if req.uri.endswith('/start'):
            req.internal_redirect(req.uri.replace('/start', '/target') + '?from=start')
            return apache.OK
        req.write('at %s args=%r prev=%r prev.args=%r' % (req.uri, req.args, req.prev.uri if req.prev else None, req.prev.args if req.prev else None))
        return apache.OK
  `, [{ path: '@/start?orig=1', status: 200, bodyHas: 'prev=' }]),

  py('internal-redirect-to-static', 'methods', `
    def handler(req):
        if req.uri.endswith('/go'):
            req.internal_redirect('/internal-redirect-to-static-files/page.txt')
            return apache.OK
        return apache.DECLINED
  `, [{ path: '@/go', status: 200, bodyHas: 'redirect target' }], {
    conf: '<Directory ${SITE}/htdocs/internal-redirect-to-static-files>\n  SetHandler None\n</Directory>\n',
    files: { '../internal-redirect-to-static-files/page.txt': 'redirect target\n' },
  }),

  py('get-basic-auth-pw', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        pw = req.get_basic_auth_pw()
        req.write('user=%r pw=%r type=%r name=%r' % (req.user, pw, req.auth_type(), req.auth_name()), 0)
        return apache.OK
  `, [
    { path: '@/x', headers: { Authorization: 'Basic ' + Buffer.from('alice:s3cret').toString('base64') }, status: 200 },
    { path: '@/x', headers: { Authorization: 'Basic ' + Buffer.from('b\u00f6b:p\u00e4ss', 'latin1').toString('base64') }, status: 200 },
    { path: '@/x', status: 200 },
  ], { dir: '  AuthType Basic\n  AuthName "Compat Realm"' }),

  py('allow-methods-405', 'methods', `
    def handler(req):
        req.allow_methods(['GET', 'POST'])
        if req.method not in ('GET', 'POST'):
            return apache.HTTP_METHOD_NOT_ALLOWED
        req.write('ok')
        return apache.OK
  `, [{ method: 'PUT', path: '@/x', body: 'x', status: 405 }, { method: 'GET', path: '@/x', status: 200 }]),

  py('allow-methods-reset', 'methods', `
    def handler(req):
        req.allow_methods(['PROPFIND'])
        req.allow_methods(['GET'], 1)
        req.content_type = 'text/plain'
        req.write(repr(req.allowed_methods), 0)
        return apache.OK
  `, [{ path: '@/x', status: 200 }]),

  py('add-cgi-vars', 'methods', `
    KEYS = ['GATEWAY_INTERFACE', 'SERVER_PROTOCOL', 'REQUEST_METHOD', 'QUERY_STRING', 'SCRIPT_NAME', 'PATH_INFO',
            'HTTP_X_CUSTOM', 'SERVER_NAME', 'SERVER_PORT', 'REMOTE_ADDR', 'DOCUMENT_ROOT', 'SCRIPT_FILENAME', 'REQUEST_SCHEME',
            'CONTEXT_PREFIX', 'SERVER_SOFTWARE' if False else 'SERVER_ADMIN']
    def handler(req):
        req.content_type = 'text/plain'
        req.add_cgi_vars()
        env = req.subprocess_env
        req.write('\\n'.join('%s=%r' % (k, env.get(k)) for k in KEYS), 0)
        return apache.OK
  `, [{ path: '@/script/extra?a=1&b=2', headers: { 'X-Custom': 'yes' }, status: 200 }]),

  py('add-cgi-vars-request-uri', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        req.add_cgi_vars()
        req.write('REQUEST_URI=' + req.subprocess_env['REQUEST_URI'], 0)
        return apache.OK
  `, [{ path: '@/page?a=1' }], {
    expect: {
      differs: 'add_cgi_vars() must set REQUEST_URI with the query string, as CGI does; mod_python 3.5 drops it (spec §4.3, §8 point 11).',
      apache: { 0: { status: 200, body: 'REQUEST_URI=/add-cgi-vars-request-uri/page' } },
      modpy: { 0: { status: 200, body: 'REQUEST_URI=/add-cgi-vars-request-uri/page?a=1' } },
    },
  }),

  py('add-common-vars', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        req.add_common_vars()
        env = req.subprocess_env
        req.write(repr([(k, env.get(k)) for k in ('HTTP_HOST', 'HTTP_X_A', 'REMOTE_ADDR', 'SERVER_ADDR', 'GATEWAY_INTERFACE', 'REQUEST_METHOD')]), 0)
        return apache.OK
  `, [{ path: '@/x', headers: { 'X-A': '1' }, status: 200 }]),

  py('meets-conditions-304', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        req.update_mtime(1700000000)
        req.set_last_modified()
        rv = req.meets_conditions()
        if rv != apache.OK:
            return rv
        req.write('fresh', 0)
        return apache.OK
  `, [
    { path: '@/x', status: 200 },
    { path: '@/x', headers: { 'If-Modified-Since': 'Tue, 14 Nov 2023 22:13:20 GMT' }, status: 304 },
    { path: '@/x', headers: { 'If-Modified-Since': 'Mon, 13 Nov 2023 00:00:00 GMT' }, status: 200 },
  ]),

  py('set-etag', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        req.update_mtime(1700000000)
        req.set_etag()
        req.write('tagged mtime=%r' % req.mtime, 0)
        return apache.OK
  `, [{ path: '@/x', status: 200 }]),

  py('no-cache-expires', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        req.no_cache = 1
        req.write('do not cache', 0)
        return apache.OK
  `, [{ path: '@/x', status: 200 }]),

  py('headers-out-and-err-headers', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        req.headers_out['Cache-Control'] = 'private'
        req.err_headers_out['X-Err'] = 'kept'
        if req.args == 'fail':
            return apache.HTTP_NOT_FOUND
        req.write('headers', 0)
        return apache.OK
  `, [{ path: '@/x', status: 200 }, { path: '@/x?fail', status: 404 }], { compare: { headers: ['x-err'] } }),

  py('headers-out-location-301', 'methods', `
    def handler(req):
        req.headers_out['Location'] = '/moved/here'
        req.status = apache.HTTP_MOVED_PERMANENTLY
        return apache.HTTP_MOVED_PERMANENTLY
  `, [{ path: '@/x', status: 301 }]),

  py('get-remote-host', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        req.write(repr((req.get_remote_host(apache.REMOTE_NOLOOKUP), req.get_remote_host(apache.REMOTE_NOLOOKUP, 1))), 0)
        return apache.OK
  `, [{ path: '@/x', status: 200 }]),

  py('headers-after-first-write-ignored', 'methods', `
    def handler(req):
        req.content_type = 'text/plain'
        req.headers_out['X-Early'] = 'sent'
        req.write('first;')
        req.headers_out['X-Late'] = 'too late'
        req.content_type = 'text/html'
        req.write('second;')
        return apache.OK
  `, [{ path: '@/x', status: 200, bodyHas: 'first;second;' }], { compare: { headers: ['x-early', 'x-late'] } }),

  py('large-output-flushed', 'methods', `
    BLOCK = ''.join(chr(65 + i % 26) for i in range(1024))
    def handler(req):
        req.content_type = 'text/plain'
        for i in range(512):
            req.write(BLOCK)
        return apache.OK
  `, [{ path: '@/x', status: 200 }]),

  // Unflushed output gets a Content-Length only while Apache's CONTENT_LENGTH filter can hold it
  // all; half a megabyte is chunked by Apache and sent with a length by modpy. Both are valid
  // HTTP and mod_python promises nothing here, so framing is not compared.
  py('large-output-unflushed', 'methods', `
    BLOCK = ''.join(chr(65 + i % 26) for i in range(1024))
    def handler(req):
        req.content_type = 'text/plain'
        for i in range(512):
            req.write(BLOCK, 0)
        return apache.OK
  `, [{ path: '@/x', status: 200 }], { compare: { framing: false } }),

  py('large-request-body', 'methods', `
    import hashlib
    def handler(req):
        req.content_type = 'text/plain'
        data = b''
        while True:
            chunk = req.read(7000)
            if not chunk:
                break
            data += chunk
        req.write('%d %s' % (len(data), hashlib.sha1(data).hexdigest()[:12]), 0)
        return apache.OK
  `, [{ method: 'POST', path: '@/x', body: 'abcdefghij'.repeat(30000), status: 200, bodyHas: '300000 ' }]),

  py('fixup-exception-debug-page', 'methods', `
    def fixuphandler(req):
        raise KeyError('in fixup')
    def handler(req):
        req.write('not reached')
        return apache.OK
  `, [{ path: '@/x', status: 500, bodyHas: 'PythonFixupHandler' }], {
    dir: '  PythonFixupHandler ${MODULE}',
    compare: { body: (b) => (b.match(/Mod_python error: "[^"]*"/)?.[0] ?? '') + (b.includes('KeyError') ? ' KeyError' : '') },
  }),

  py('log-error-levels', 'methods', `
    def handler(req):
        req.log_error('tok_levels default')
        req.log_error('tok_levels warning', apache.APLOG_WARNING)
        req.log_error('tok_levels notice', apache.APLOG_NOTICE)
        req.log_error('tok_levels debug-hidden', apache.APLOG_DEBUG)
        apache.log_error('tok_levels module-level', apache.APLOG_ERR)
        req.server.log_error('tok_levels server', apache.APLOG_CRIT)
        req.connection.log_error('tok_levels connection', apache.APLOG_WARNING)
        req.write('logged')
        return apache.OK
  `, [{ path: '@/x', status: 200 }], { compare: { log: 'tok_levels' } }),
];

for (const c of cases) if (c.conf) c.conf = c.conf.replace('${MODULE}', M(c.name));

// add-handler-later-phase: the fixup must be registered, and PythonHandler comes only from add_handler.
const later = cases.find((c) => c.name === 'add-handler-later-phase')!;
later.conf = `<Directory \${CASE}>\n  SetHandler mod_python\n  PythonFixupHandler ${M(later.name)}\n  PythonDebug On\n</Directory>\n`;

export const methodsGroup: CaseGroup = { name: 'methods', cases };
