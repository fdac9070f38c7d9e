/**
 * @module compat/cases/request — req attributes (spec §4.3), each printed with repr() by a
 * handler so types and values are compared, not just text.
 */
import type { CaseGroup, CompatCase } from '../lib/case.js';
import { dedent, moduleName, reprCase } from './helpers.js';

const cases: CompatCase[] = [
  reprCase('attr-uri-filename-pathinfo', 'request', ['req.uri', 'req.filename', 'req.path_info', 'req.canonical_filename'], [
    { path: '@/real.txt/extra/path', status: 200 },
    { path: '@/virtual/one', status: 200 },
  ], { files: { 'real.txt': 'x\n' } }),
  reprCase('attr-args', 'request', ['req.args', 'req.unparsed_uri', 'req.parsed_uri'], [
    { path: '@/q?a=1&b=two%20words', status: 200 },
    { path: '@/q', status: 200 },
    { path: '@/q?', status: 200 },
  ]),
  reprCase('attr-method', 'request', ['req.method', 'req.method_number', 'req.header_only'], [
    { path: '@/m', status: 200 },
    { method: 'POST', path: '@/m', body: 'x=1', status: 200 },
    { method: 'PUT', path: '@/m', body: 'data', status: 200 },
    { method: 'DELETE', path: '@/m', status: 200 },
    { method: 'OPTIONS', path: '@/m', status: 200 },
  ]),
  reprCase('attr-protocol', 'request', ['req.protocol', 'req.proto_num', 'req.the_request', 'req.assbackwards'], [
    { path: '@/p?x=1', status: 200 },
    { raw: 'GET @/p HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n', status: 200 },
  ]),
  reprCase('attr-hostname', 'request', ['req.hostname', 'req.server.server_hostname', 'req.construct_url("/a/b")'], [
    { path: '@/h', status: 200 },
    { path: '@/h', headers: { Host: 'other.example' }, status: 200 },
  ]),
  reprCase('attr-headers-in', 'request', [
    "req.headers_in['X-One']", "req.headers_in.get('x-one')", "req.headers_in.get('X-Missing', 'dflt')", "'x-one' in req.headers_in",
    "req.headers_in['X-Dup']", "sorted(k.lower() for k in req.headers_in.keys())",
  ], [{ path: '@/hi', headers: { 'X-One': 'first', 'X-Dup': 'a, b' }, status: 200 }]),
  reprCase('attr-content-type-status', 'request', ['req.content_type', 'req.status', 'req.status_line', 'req._content_type_set', 'req.handler'], [
    { path: '@/ct.html', status: 200 },
  ], { files: { 'ct.html': '<p>x</p>\n' } }),
  reprCase('attr-interpreter-phase', 'request', ['req.interpreter', 'req.phase', 'apache.interpreter', 'req.hlist.handler', 'req.hlist.is_location', 'req.hlist.silent'], [
    { path: '@/i', status: 200 },
  ]),
  reprCase('attr-hlist-directory', 'request', ['req.hlist.directory == "${CASE}/"'], [{ path: '@/d', status: 200 }]),
  reprCase('attr-document-root', 'request', ['req.document_root()', 'req.server.is_virtual', 'req.server.port'], [{ path: '@/dr', status: 200 }]),
  reprCase('attr-get-config', 'request', ["sorted(req.get_config().items())"], [{ path: '@/gc', status: 200 }]),
  reprCase('attr-get-options', 'request', ["sorted(req.get_options().items())", "sorted(req.server.get_options().items())"], [{ path: '@/go', status: 200 }], {
    dir: '  PythonOption alpha one\n  PythonOption beta "two words"',
  }),
  reprCase('attr-user-auth-none', 'request', ['req.user', 'req.ap_auth_type', 'req.auth_type()', 'req.auth_name()'], [{ path: '@/u', status: 200 }]),
  reprCase('attr-main-prev-next', 'request', ['req.main', 'req.prev', 'req.next', 'req.is_https()'], [{ path: '@/mp', status: 200 }]),
  reprCase('attr-connection', 'request', [
    'req.connection.client_ip', 'req.connection.local_ip', 'req.connection.local_addr', 'req.useragent_ip',
    'req.connection.remote_host', 'req.connection.aborted', 'type(req.connection.id).__name__',
  ], [{ path: '@/c', status: 200 }]),
  reprCase('attr-server', 'request', [
    'req.server.server_hostname', 'req.server.is_virtual', 'req.server.port', 'type(req.server.timeout).__name__',
    'req.server.keep_alive', 'req.server.names', 'req.server.wild_names', 'req.server.server_admin',
  ], [{ path: '@/s', status: 200 }]),
  reprCase('attr-body-counters', 'request', ['req.remaining', 'req.read_length', 'req.read_chunked', 'req.expecting_100', 'req.clength'], [
    { path: '@/b', status: 200 },
    { method: 'POST', path: '@/b', body: 'twelve bytes', status: 200 },
  ]),
  reprCase('attr-output-counters', 'request', ['req.bytes_sent', 'req.sent_bodyct', 'req._bytes_queued', 'req.mtime', 'req.chunked'], [{ path: '@/o', status: 200 }]),
  reprCase('attr-range-header', 'request', ['req.range', "req.headers_in.get('Range')"], [
    { path: '@/r', status: 200 },
    // Apache's byte-range filter also cuts a handler's output when its length is known.
    { path: '@/r', headers: { Range: 'bytes=0-3' }, status: 206 },
  ]),
  reprCase('attr-request-time', 'request', ['type(req.request_time).__name__', 'abs(__import__("time").time() - req.request_time) < 60'], [{ path: '@/t', status: 200 }]),
  reprCase('attr-finfo', 'request', ['req.finfo.filetype if req.finfo else None', 'req.finfo.size if req.finfo else None', 'req.finfo[apache.FINFO_SIZE] if req.finfo else None'], [
    { path: '@/f.txt', status: 200 },
    { path: '@/nofile', status: 200 },
  ], { files: { 'f.txt': '0123456789\n' } }),
  reprCase('attr-used-path-info-proxyreq', 'request', ['req.used_path_info', 'req.proxyreq', 'req.no_cache', 'req.no_local_copy'], [{ path: '@/up', status: 200 }]),
  reprCase('attr-notes-subprocess-env', 'request', ["{k: v for k, v in req.notes.items() if k != 'python_init_ran'}", "isinstance(req.subprocess_env, apache.table)", "len(req.subprocess_env) >= 0"], [{ path: '@/n', status: 200 }]),
  reprCase('attr-allowed', 'request', ['req.allowed_methods', 'req.allowed_xmethods', 'type(req.allowed).__name__'], [{ path: '@/al', status: 200 }]),
  reprCase('attr-content-languages-encoding', 'request', ['req.content_languages', 'req.content_encoding', 'req.vlist_validator'], [{ path: '@/cl', status: 200 }]),
  reprCase('attr-extension', 'request', ['req.extension'], [{ path: '@/x.psx', status: 200 }]),
  reprCase('sys-path-prepend', 'request', ["__import__('sys').path[0].replace('${CASE}', 'CASE')", "__import__('sys').path.count('${CASE}/')"], [
    { path: '@/sp', status: 200 },
    { path: '@/sp', status: 200 },
  ]),
  reprCase('enable-pdb-without-one-process', 'request', ["req.get_config().get('PythonEnablePdb')", "apache.exists_config_define('ONE_PROCESS')"], [{ path: '@/pdb', status: 200 }], {
    dir: '  PythonEnablePdb On',
  }),
  reprCase('apache-constants', 'request', [
    'apache.OK', 'apache.DECLINED', 'apache.DONE', 'apache.HTTP_NOT_FOUND', 'apache.HTTP_IM_A_TEAPOT', 'apache.APLOG_NOTICE',
    'apache.M_POST', 'apache.URI_QUERY', 'apache.FINFO_MTIME', 'apache.REQ_ABORTED', 'apache.PROXYREQ_REVERSE', 'apache.AP_CONN_KEEPALIVE',
  ], [{ path: '@/k', status: 200 }]),
  reprCase('apache-module-functions', 'request', [
    "apache.exists_config_define('FOREGROUND')", "apache.exists_config_define('NOT_DEFINED_X')", "hasattr(apache, 'allow_methods')",
    "hasattr(apache, 'exists_config')", "type(apache.main_server) is type(req.server)", "apache.main_server.server_hostname",
    "apache.stat('${CASE}/st.txt', apache.APR_FINFO_MIN).size",
  ], [{ path: '@/mf', status: 200 }], { files: { 'st.txt': 'abcd' } }),
  reprCase('req-has-requires', 'request', ["hasattr(req, 'requires')", "hasattr(req, 'send_http_header')", "req.send_http_header()"], [{ path: '@/rq', status: 200 }]),
  reprCase('req-dict-attributes', 'request', ["setattr(req, 'my_attr', 5) or req.my_attr"], [{ path: '@/da', status: 200 }]),
  reprCase('apache-server-facts', 'request', [
    'apache.server_root()', 'apache.mpm_query(apache.AP_MPMQ_IS_THREADED)', 'apache.mpm_query(apache.AP_MPMQ_IS_FORKED)',
    'type(apache.config_tree()).__name__', "req.ssl_var_lookup('SSL_CIPHER')",
  ], [{ path: '@/sf', status: 200 }]),
  reprCase('connection-keepalive-facts', 'request', ['req.connection.keepalive', 'req.connection.keepalives', 'req.connection.notes is not None'], [
    { path: '@/ka', status: 200 },
    { path: '@/ka', headers: { Connection: 'close' }, status: 200 },
  ]),
  reprCase('build-cgi-env', 'request', ["sorted((k, v) for k, v in apache.build_cgi_env(req).items() if k in ('GATEWAY_INTERFACE', 'SCRIPT_NAME', 'PATH_INFO', 'REQUEST_METHOD', 'HTTP_AUTHORIZATION'))"], [
    { path: '@/cgi/extra', headers: { Authorization: 'Basic dTpw' }, status: 200 },
  ]),
  {
    name: 'cgihandler-script',
    area: 'request',
    conf: '<Directory ${CASE}>\n  SetHandler mod_python\n  PythonHandler mod_python.cgihandler\n</Directory>\n',
    files: {
      'script.py': 'import os, sys\nprint("Content-Type: text/plain")\nprint("X-Cgi: yes")\nprint()\nprint("method=%s query=%s" % (os.environ.get("REQUEST_METHOD"), os.environ.get("QUERY_STRING")))\n',
      'status.py': 'print("Status: 404 Not Found")\nprint("Content-Type: text/plain")\nprint()\nprint("cgi said not found")\n',
    },
    requests: [
      { path: '@/script.py?a=1', status: 200, bodyHas: 'method=GET query=a=1' },
      { method: 'POST', path: '@/script.py', body: 'posted', status: 200, bodyHas: 'method=POST' },
      { path: '@/status.py', status: 404 },
    ],
    compare: { headers: ['x-cgi'] },
  },
  {
    name: 'cgihandler-script-as-main',
    area: 'request',
    conf: '<Directory ${CASE}>\n  SetHandler mod_python\n  PythonHandler mod_python.cgihandler\n</Directory>\n',
    files: { 'main.py': 'if __name__ == "__main__":\n    print("Content-Type: text/plain")\n    print()\n    print("ran as main")\nelse:\n    print("Content-Type: text/plain")\n    print()\n    print("ran as module")\n' },
    requests: [{ path: '@/main.py' }],
    expect: {
      differs: 'cgihandler runs the script as __main__, as CGI would (docs/library.md); mod_python 3.5 imports it under its file name.',
      apache: { 0: { status: 200, body: /ran as module/ } },
      modpy: { 0: { status: 200, body: /ran as main/ } },
    },
  },
  {
    name: 'location-filename-none',
    area: 'request',
    conf: dedent(`
      <Location /loc-attrs>
        SetHandler mod_python
        PythonHandler ${moduleName('location-filename-none')}
        PythonPath "sys.path+['\${CASE}']"
      </Location>
    `),
    files: {
      [`${moduleName('location-filename-none')}.py`]: dedent(`
        from mod_python import apache
        def handler(req):
            req.content_type = 'text/plain'
            req.write('%r %r %r %r\\n' % (req.filename, req.path_info, req.hlist.directory, req.hlist.is_location), 0)
            return apache.OK
      `),
    },
    requests: [{ path: '/loc-attrs/a/b', status: 200 }],
  },
];

export const requestGroup: CaseGroup = { name: 'request', cases };
