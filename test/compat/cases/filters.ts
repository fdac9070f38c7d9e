/**
 * @module compat/cases/filters — PythonOutputFilter / PythonInputFilter (spec §3.7, §4.6) and
 * PythonConnectionHandler, compared over raw TCP on the group's third listener.
 */
import type { CaseGroup, CompatCase } from '../lib/case.js';
import { dedent } from './helpers.js';

const FILTERS = `
from mod_python import apache

def upper(filter):
    s = filter.read()
    while s:
        filter.write(s.upper())
        s = filter.read()
    if s is None:
        filter.close()

# mod_python's filter.write() does not copy: data written must stay referenced until the
# request ends, or the client gets freed memory (seen on 3.5). Hence the filter.req.keep list.
def keep(filter, data):
    if not hasattr(filter.req, 'keep'):
        filter.req.keep = []
    filter.req.keep.append(data)
    return data

def reverse_body(filter):
    # Buffers the whole response in req, reverses it at end of stream.
    s = filter.read()
    data = getattr(filter.req, 'compat_buf', b'')
    while s:
        data += s
        s = filter.read()
    filter.req.compat_buf = data
    if s is None:
        filter.write(keep(filter, data[::-1]))
        filter.close()

def upper_input(filter):
    s = filter.read()
    while s:
        filter.write(keep(filter, s.upper()))
        s = filter.read()
    if s is None:
        filter.close()

def tag(filter):
    s = filter.read()
    while s:
        filter.write(s)
        s = filter.read()
    if s is None:
        filter.write(keep(filter, b'[name=%s is_input=%r]' % (filter.name.encode(), filter.is_input)))
        filter.close()

def broken(filter):
    raise ValueError('filter failure')
`;

const HANDLERS = `
from mod_python import apache

def handler(req):
    req.content_type = 'text/plain'
    req.write('hello from handler;')
    req.write('second write;')
    return apache.OK

def echo_body(req):
    req.content_type = 'text/plain'
    req.write(b'body=' + req.read(), 0)
    return apache.OK

def add_filter_dynamically(req):
    req.add_output_filter('UPPER_F')
    req.content_type = 'text/plain'
    req.write('added at runtime')
    return apache.OK

def register_per_request(req):
    req.register_output_filter('PER_REQ', 'flt_filters::tag')
    req.add_output_filter('PER_REQ')
    req.content_type = 'text/plain'
    req.write('per request;')
    return apache.OK
`;

const CONN = `
from mod_python import apache

def connectionhandler(conn):
    conn.write(b'220 compat line server\\r\\n')
    while True:
        line = conn.readline()
        if not line:
            break
        cmd = line.strip()
        if cmd == b'QUIT':
            conn.write(b'221 bye\\r\\n')
            break
        if cmd.startswith(b'READ '):
            n = int(cmd[5:])
            data = conn.read(n)
            conn.write(b'250 read %d bytes: ' % len(data) + data.upper() + b'\\r\\n')
            continue
        if cmd == b'SERVER':
            s = conn.base_server
            conn.write(('250 %s %r %r\\r\\n' % (s.server_hostname, s.is_virtual, conn.local_addr[0])).encode())
            continue
        if cmd == b'INFO':
            conn.write(('250 %s %r %s\\r\\n' % (conn.local_ip, type(conn.client_addr).__name__, apache.interpreter)).encode())
            continue
        conn.write(b'250 ' + cmd[::-1] + b'\\r\\n')
    return apache.OK
`;

function filterCase(name: string, dirConf: string, requests: CompatCase['requests'], extra: Partial<CompatCase> = {}): CompatCase {
  return { name, area: 'filters', conf: `<Directory \${CASE}>\n${dirConf}\n</Directory>\n`, requests, ...extra };
}

const cases: CompatCase[] = [
  filterCase('output-filter-uppercase-handler', '  SetHandler mod_python\n  PythonHandler flt_handlers\n  SetOutputFilter UPPER_F', [
    { path: '@/x', status: 200, bodyHas: 'HELLO FROM HANDLER;SECOND WRITE;' },
  ]),
  filterCase('output-filter-registered-in-directory', '  SetHandler mod_python\n  PythonHandler flt_handlers\n  PythonOutputFilter flt_filters::upper DIR_UPPER\n  SetOutputFilter DIR_UPPER', [
    { path: '@/x', status: 200, bodyHas: 'HELLO FROM HANDLER;' },
  ]),
  filterCase('output-filter-on-static-file', '  AddOutputFilter UPPER_F .txt', [
    { path: '@/page.txt', status: 200, bodyHas: 'STATIC PAGE' },
    { path: '@/page.html', status: 200, bodyHas: 'static html' },
  ], { files: { 'page.txt': 'static page text\n', 'page.html': '<p>static html</p>\n' } }),
  filterCase('output-filter-buffers-whole-body', '  SetHandler mod_python\n  PythonHandler flt_handlers\n  SetOutputFilter REVERSE_F', [
    { path: '@/x', status: 200, bodyHas: ';etirw dnoces' },
  ]),
  filterCase('output-filter-name-attribute', '  SetHandler mod_python\n  PythonHandler flt_handlers\n  SetOutputFilter TAG_F', [
    { path: '@/x', status: 200, bodyHas: '[name=tag_f is_input=0]' },
  ]),
  filterCase('output-filter-chain-two', '  SetHandler mod_python\n  PythonHandler flt_handlers\n  SetOutputFilter TAG_F;UPPER_F', [
    { path: '@/x', status: 200 },
  ]),
  filterCase('output-filter-added-by-handler', '  SetHandler mod_python\n  PythonHandler flt_handlers::add_filter_dynamically', [
    { path: '@/x', status: 200, bodyHas: 'ADDED AT RUNTIME' },
  ]),
  filterCase('output-filter-registered-per-request', '  SetHandler mod_python\n  PythonHandler flt_handlers::register_per_request', [
    { path: '@/x', status: 200, bodyHas: 'per request;[name=' },
  ]),
  filterCase('output-filter-exception', '  SetHandler mod_python\n  PythonHandler flt_handlers\n  SetOutputFilter BROKEN_F\n  PythonDebug Off', [
    { path: '@/x' },
  ], { compare: { body: 'ignore', framing: false } }),
  filterCase('input-filter-uppercase', '  SetHandler mod_python\n  PythonHandler flt_handlers::echo_body\n  SetInputFilter UPPER_IN', [
    { method: 'POST', path: '@/x', body: 'lower case body', status: 200, bodyHas: 'body=LOWER CASE BODY' },
  ]),
  {
    name: 'connection-handler-line-protocol',
    area: 'connection',
    requests: [
      { listener: 'conn', raw: 'hello\r\nINFO\r\nQUIT\r\n', bodyHas: '221 bye' },
      { listener: 'conn', raw: 'abc\r\n', bodyHas: '250 cba' },
    ],
  },
  {
    name: 'connection-handler-read-bytes',
    area: 'connection',
    requests: [{ listener: 'conn', raw: 'READ 5\r\nabcdefgh\r\nQUIT\r\n', bodyHas: '250 read' }],
  },
  {
    name: 'connection-handler-server-object',
    area: 'connection',
    requests: [{ listener: 'conn', raw: 'SERVER\r\nQUIT\r\n', bodyHas: '250 conn.test' }],
  },
  {
    name: 'connection-handler-http-port-unaffected',
    area: 'connection',
    requests: [{ path: '/connection-handler-http-port-unaffected/', status: 200 }],
    files: { 'index.html': '<p>plain http still served</p>\n' },
  },
];

export const filtersGroup: CaseGroup = {
  name: 'filters',
  conf: dedent(`
    PythonPath "sys.path+['\${SITE}/lib']"
    PythonOutputFilter flt_filters::upper UPPER_F
    PythonOutputFilter flt_filters::reverse_body REVERSE_F
    PythonOutputFilter flt_filters::tag TAG_F
    PythonOutputFilter flt_filters::broken BROKEN_F
    PythonInputFilter flt_filters::upper_input UPPER_IN
    <VirtualHost 127.0.0.1:\${MP_PORT3}>
      ServerName conn.test
      PythonConnectionHandler flt_conn
    </VirtualHost>
  `),
  files: { 'lib/flt_filters.py': FILTERS.trimStart(), 'lib/flt_handlers.py': HANDLERS.trimStart(), 'lib/flt_conn.py': CONN.trimStart() },
  cases,
};
