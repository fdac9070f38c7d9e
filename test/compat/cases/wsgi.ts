/**
 * @module compat/cases/wsgi — mod_python.wsgi (spec §4.13): environ, SCRIPT_NAME/PATH_INFO
 * from <Location> or base_uri, input, streaming, headers, and the 3.5 bugs modpy fixes
 * (status lost, PATH_INFO decoding, Content-Type overridden; spec §8.1).
 */
import type { CaseGroup, CompatCase, CompatRequest, Differs } from '../lib/case.js';
import { dedent } from './helpers.js';

const APPS = dedent(`
  from mod_python import apache

  KEYS = ['REQUEST_METHOD', 'SCRIPT_NAME', 'PATH_INFO', 'QUERY_STRING', 'SERVER_PROTOCOL', 'CONTENT_TYPE',
          'CONTENT_LENGTH', 'HTTP_X_PROBE', 'SERVER_NAME', 'GATEWAY_INTERFACE',
          'wsgi.version', 'wsgi.url_scheme', 'wsgi.multiprocess']

  def environ_app(environ, start_response):
      start_response('200 OK', [('Content-Type', 'text/plain')])
      lines = ['%s=%r' % (k, environ.get(k)) for k in KEYS]
      lines.append('input=%s errors=%s' % (hasattr(environ['wsgi.input'], 'read'), hasattr(environ['wsgi.errors'], 'write')))
      return ['\\n'.join(lines).encode()]

  def paths_app(environ, start_response):
      start_response('200 OK', [('Content-Type', 'text/plain')])
      return [('%r %r' % (environ.get('SCRIPT_NAME'), environ.get('PATH_INFO'))).encode()]

  def path_codes_app(environ, start_response):
      start_response('200 OK', [('Content-Type', 'text/plain')])
      return [' '.join('%x' % ord(c) for c in environ.get('PATH_INFO', '')).encode()]

  def input_app(environ, start_response):
      n = int(environ.get('CONTENT_LENGTH') or 0)
      body = environ['wsgi.input'].read(n)
      start_response('200 OK', [('Content-Type', 'text/plain')])
      return [b'got ' + body]

  def streaming_app(environ, start_response):
      start_response('200 OK', [('Content-Type', 'text/plain')])
      def gen():
          for i in range(3):
              yield ('chunk %d;' % i).encode()
      return gen()

  def headers_app(environ, start_response):
      start_response('200 OK', [('Content-Type', 'text/html; charset=utf-8'), ('Set-Cookie', 'a=1'), ('Set-Cookie', 'b=2'),
                                ('X-App', 'yes'), ('Cache-Control', 'max-age=60')])
      return [b'<p>headers</p>']

  def write_app(environ, start_response):
      write = start_response('200 OK', [('Content-Type', 'text/plain')])
      write(b'written;')
      return [b'returned;']

  def not_found_app(environ, start_response):
      start_response('404 Not Found', [('Content-Type', 'text/plain')])
      return [b'app says not found']

  def redirect_app(environ, start_response):
      start_response('302 Found', [('Location', '/somewhere/else'), ('Content-Type', 'text/plain')])
      return [b'go away']

  def type_app(environ, start_response):
      start_response('200 OK', [('Content-Type', 'text/plain')])
      return [b'typed by app']

  class Closing:
      def __init__(self):
          self.items = [b'closing body']
      def __iter__(self):
          return iter(self.items)
      def close(self):
          apache.log_error('tok_wsgi_close called')

  def closing_app(environ, start_response):
      start_response('200 OK', [('Content-Type', 'text/plain')])
      return Closing()

  def exc_info_app(environ, start_response):
      try:
          raise RuntimeError('app failure')
      except RuntimeError:
          import sys
          start_response('500 Internal Server Error', [('Content-Type', 'text/plain')], sys.exc_info())
      return [b'the app error page']

  def bad_headers_app(environ, start_response):
      start_response('200 OK', [['Content-Type', 'text/plain']])
      return [b'list header']
`);

/** Framing is not compared for apps returning a list: modpy sends it with a Content-Length where
 *  mod_python flushes every item (docs/library.md, deliberate differences; see wsgi-list-body-length). */
const LIST_BODY = { framing: false } as const;

function app(name: string, callable: string, requests: CompatRequest[], extra: Partial<CompatCase> & { options?: string } = {}): CompatCase {
  const { options, ...rest } = extra;
  return {
    name,
    area: 'wsgi',
    conf: dedent(`
      <Location /${name}>
        SetHandler mod_python
        PythonHandler mod_python.wsgi
        PythonOption mod_python.wsgi.application wsgi_apps::${callable}
        PythonPath "sys.path+['\${SITE}/wsgi']"
        PythonDebug On
      ${options ?? ''}
      </Location>
    `),
    requests,
    ...rest,
  };
}

function differs(reason: string, apache: Differs['apache'], modpy: Differs['modpy']): Differs {
  return { differs: reason, ...(apache ? { apache } : {}), modpy };
}

const cases: CompatCase[] = [
  app('wsgi-environ', 'environ_app', [
    { path: '/wsgi-environ/sub/path?x=1&y=2', headers: { 'X-Probe': 'probe' }, status: 200 },
    { method: 'POST', path: '/wsgi-environ', body: 'a=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, status: 200 },
  ], { compare: LIST_BODY }),
  app('wsgi-script-name-path-info', 'paths_app', [
    { path: '/wsgi-script-name-path-info', status: 200 },
    { path: '/wsgi-script-name-path-info/', status: 200 },
    { path: '/wsgi-script-name-path-info/a/b', status: 200 },
  ], { compare: LIST_BODY }),
  app('wsgi-base-uri', 'paths_app', [{ path: '/wsgi-base-uri/deeper/x', status: 200 }], { options: '  PythonOption mod_python.wsgi.base_uri /wsgi-base-uri/deeper', compare: LIST_BODY }),
  app('wsgi-base-uri-mismatch', 'paths_app', [{ path: '/wsgi-base-uri-mismatch/x', status: 404 }], { options: '  PythonOption mod_python.wsgi.base_uri /elsewhere' }),
  app('wsgi-input', 'input_app', [{ method: 'POST', path: '/wsgi-input', body: 'posted payload', status: 200, bodyHas: 'got posted payload' }], { compare: LIST_BODY }),
  app('wsgi-streaming', 'streaming_app', [{ path: '/wsgi-streaming', status: 200, bodyHas: 'chunk 0;chunk 1;chunk 2;' }]),
  app('wsgi-headers', 'headers_app', [{ path: '/wsgi-headers', status: 200 }], { compare: { ...LIST_BODY, headers: ['x-app'] } }),
  app('wsgi-write-callable', 'write_app', [{ path: '/wsgi-write-callable', status: 200, bodyHas: 'written;returned;' }]),
  app('wsgi-close-called', 'closing_app', [{ path: '/wsgi-close-called', status: 200 }], { compare: { log: 'tok_wsgi_close' } }),
  app('wsgi-list-body-length', 'type_app', [{ path: '/wsgi-list-body-length' }], {
    expect: differs('A list body is sent with a Content-Length (docs/library.md); mod_python 3.5 flushes every item, so the response is chunked.',
      { 0: { status: 200, headers: { 'Transfer-Encoding': 'chunked' } } }, { 0: { status: 200, headers: { 'Content-Length': '12', 'Transfer-Encoding': null }, body: 'typed by app' } }),
  }),
  app('wsgi-missing-callable', 'no_such_app', [{ path: '/wsgi-missing-callable', status: 404 }]),
  app('wsgi-exc-info', 'exc_info_app', [{ path: '/wsgi-exc-info', status: 500 }], {
    compare: { ...LIST_BODY, body: (b) => (b.includes('RuntimeError') ? 'RuntimeError page' : b) },
    expect: differs('start_response(status, headers, exc_info) before any output replaces the status and headers, as PEP 3333 requires, so the application\'s own error page is sent; mod_python 3.5 re-raises at once and answers with its 500 page (docs/library.md).',
      { 0: { status: 500 } }, { 0: { status: 500, headers: { 'Content-Type': 'text/plain' }, body: 'the app error page' } }),
  }),
  app('wsgi-headers-must-be-tuples', 'bad_headers_app', [{ path: '/wsgi-headers-must-be-tuples', status: 500 }], { compare: { ...LIST_BODY, body: (b) => (b.includes('Mod_python error') ? 'error page' : b) } }),
  app('wsgi-status-404', 'not_found_app', [{ path: '/wsgi-status-404' }], {
    expect: differs('The status given to start_response is sent; mod_python 3.5 sends every WSGI response as 200 (upstream #53, spec §8.1).',
      { 0: { status: 200, body: 'app says not found' } }, { 0: { status: 404, body: 'app says not found' } }),
  }),
  app('wsgi-status-redirect', 'redirect_app', [{ path: '/wsgi-status-redirect' }], {
    expect: differs('A 302 from the application is a 302; mod_python 3.5 sends 200 with the Location header (spec §8.1).',
      { 0: { status: 200, headers: { Location: '/somewhere/else' } } }, { 0: { status: 302, headers: { Location: '/somewhere/else' } } }),
  }),
  app('wsgi-path-info-latin1', 'path_codes_app', [{ path: '/wsgi-path-info-latin1/Zo%C3%AB' }], {
    expect: differs('PATH_INFO carries the URL bytes mapped one-to-one to latin-1 (PEP 3333); mod_python 3.5 decodes them as UTF-8 (spec §8.1).',
      { 0: { status: 200, body: '2f 5a 6f eb' } }, { 0: { status: 200, body: '2f 5a 6f c3 ab' } }),
  }),
  {
    name: 'wsgi-content-type-on-directory',
    area: 'wsgi',
    conf: dedent(`
      <Directory \${CASE}>
        SetHandler mod_python
        PythonHandler mod_python.wsgi
        PythonOption mod_python.wsgi.application wsgi_apps::type_app
        PythonPath "sys.path+['\${SITE}/wsgi']"
      </Directory>
    `),
    requests: [{ path: '@/' }],
    expect: differs('The Content-Type the application sets wins; mod_python 3.5 sends the type Apache guessed for the directory (httpd/unix-directory) (spec §8.1).',
      { 0: { status: 200, headers: { 'Content-Type': 'httpd/unix-directory' } } }, { 0: { status: 200, headers: { 'Content-Type': 'text/plain' }, body: 'typed by app' } }),
  },
];

export const wsgiGroup: CaseGroup = { name: 'wsgi', files: { 'wsgi/wsgi_apps.py': APPS }, cases };
