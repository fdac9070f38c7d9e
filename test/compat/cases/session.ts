/**
 * @module compat/cases/session — mod_python.Session (spec §4.11) and mod_python.Cookie (§4.12):
 * new and existing sessions, cookie name/path/attributes, the three stores, PSP's automatic
 * session, cookies set and parsed, and the Python 3 breakages modpy fixes.
 */
import type { CaseGroup, CompatCase } from '../lib/case.js';
import { py } from './helpers.js';

const COUNTER = (ctor: string): string => `
  from mod_python import Session
  def handler(req):
      req.content_type = 'text/plain'
      s = ${ctor}
      s['hits'] = s.get('hits', 0) + 1
      s.save()
      req.write('type=%s new=%r hits=%d idlen=%d timeout=%r' % (type(s).__name__, s.is_new(), s['hits'], len(s.id()), s.timeout()), 0)
      return apache.OK
`;

const twice = [
  { path: '@/s', status: 200, bodyHas: 'hits=1' },
  { path: '@/s', useCookies: true, status: 200, bodyHas: 'hits=2' },
];

const sessionCases: CompatCase[] = [
  py('session-default-type', 'session', COUNTER('Session.Session(req)'), [{ path: '@/s' }, { path: '@/s', useCookies: true }], {
    expect: {
      differs: 'The default session store is MemorySession, shared by all workers through the server (docs/library.md); mod_python 3.5 picks DbmSession under prefork (spec §4.11).',
      apache: { 0: { status: 200, body: /^type=DbmSession new=True hits=1/ }, 1: { status: 200, body: /^type=DbmSession new=False hits=2/ } },
      modpy: { 0: { status: 200, body: /^type=MemorySession new=True hits=1/ }, 1: { status: 200, body: /^type=MemorySession new=False hits=2/ } },
    },
  }),
  py('session-file-store', 'session', COUNTER('Session.Session(req)'), twice, { dir: '  PythonOption mod_python.session.session_type FileSession' }),
  py('session-dbm-store', 'session', COUNTER('Session.Session(req)'), twice, {
    dir: '  PythonOption mod_python.session.session_type DbmSession\n  PythonOption mod_python.dbm_session.database_filename ${MP_VAR}/compat_sess.dbm',
  }),
  py('session-memory-store', 'session', COUNTER('Session.MemorySession(req)'), twice),
  py('session-explicit-classes', 'session', COUNTER('Session.FileSession(req, timeout=60)'), twice),
  py('session-cookie-name-and-path', 'session', COUNTER('Session.Session(req)'), [{ path: '@/s', status: 200 }], {
    dir: '  PythonOption mod_python.session.session_type FileSession\n  PythonOption mod_python.session.cookie_name compat_sid\n  PythonOption mod_python.session.application_path /custom/path',
  }),
  py('session-cookie-domain', 'session', COUNTER('Session.Session(req)'), [{ path: '@/s', status: 200 }], {
    dir: '  PythonOption mod_python.session.session_type FileSession\n  PythonOption mod_python.session.application_domain example.test',
  }),
  py('session-bad-cookie-replaced', 'session', COUNTER('Session.FileSession(req)'), [{ path: '@/s', headers: { Cookie: 'pysid=../../etc/passwd' }, status: 200, bodyHas: 'new=True' }]),
  py('session-explicit-bad-sid', 'session', `
    from mod_python import Session
    def handler(req):
        req.content_type = 'text/plain'
        try:
            Session.Session(req, sid='not-hex')
        except ValueError:
            req.write('ValueError', 0)
        return apache.OK
  `, [{ path: '@/s', status: 200, bodyHas: 'ValueError' }]),
  py('session-invalidate', 'session', `
    from mod_python import Session
    def handler(req):
        req.content_type = 'text/plain'
        s = Session.FileSession(req)
        if req.args == 'drop':
            s.invalidate()
            req.write('invalidated', 0)
        else:
            s['x'] = 1
            s.save()
            req.write('saved new=%r' % s.is_new(), 0)
        return apache.OK
  `, [{ path: '@/s', status: 200 }, { path: '@/s?drop', useCookies: true, status: 200 }, { path: '@/s', useCookies: true, status: 200, bodyHas: 'new=True' }]),
  py('session-accessors', 'session', `
    import time
    from mod_python import Session
    def handler(req):
        req.content_type = 'text/plain'
        s = Session.FileSession(req, timeout=120)
        s.set_timeout(300)
        ok = abs(s.created() - time.time()) < 60 and abs(s.last_accessed() - time.time()) < 60
        req.write('timeout=%r times_ok=%r dict=%r' % (s.timeout(), ok, isinstance(s, dict)), 0)
        return apache.OK
  `, [{ path: '@/s', status: 200 }]),
  py('session-with-secret', 'session', COUNTER("Session.FileSession(req, secret='s3cr3t')"), [{ path: '@/s' }, { path: '@/s', useCookies: true }], {
    expect: {
      differs: 'Session(req, secret=...) signs its cookie; on Python 3 mod_python 3.5 fails in SignedCookie (hmac without digest) with 500 (spec §4.12, §8 point 11).',
      apache: { 0: { status: 500 } },
      modpy: { 0: { status: 200, body: /hits=1/, headers: { 'Set-Cookie': /^pysid=/ } }, 1: { status: 200, body: /hits=2/ } },
    },
  }),
  {
    name: 'psp-session-autosave',
    area: 'session',
    conf: '<Directory ${CASE}>\n  AddHandler mod_python .psp\n  PythonHandler mod_python.psp\n  PythonDebug On\n  PythonOption mod_python.session.session_type FileSession\n</Directory>\n',
    files: { 'count.psp': '<%\nsession["n"] = session.get("n", 0) + 1\n%>n=<%= session["n"] %> new=<%= session.is_new() %>\n' },
    requests: [
      { path: '@/count.psp', status: 200, bodyHas: 'n=1' },
      { path: '@/count.psp', useCookies: true, status: 200, bodyHas: 'n=2' },
    ],
  },
];

const cookieCases: CompatCase[] = [
  py('cookie-add-simple', 'cookie', `
    from mod_python import Cookie
    def handler(req):
        Cookie.add_cookie(req, 'flavour', 'oatmeal')
        Cookie.add_cookie(req, Cookie.Cookie('second', 'two', path='/p'))
        req.content_type = 'text/plain'
        req.write('set', 0)
        return apache.OK
  `, [{ path: '@/c', status: 200 }]),
  py('cookie-attributes', 'cookie', `
    from mod_python import Cookie
    def handler(req):
        c = Cookie.Cookie('full', 'v', path='/', domain='example.test', secure=True, httponly=True, expires=1700000000, comment='hi', version=1, samesite='Lax')
        req.content_type = 'text/plain'
        req.write(str(c), 0)
        return apache.OK
  `, [{ path: '@/c', status: 200 }]),
  py('cookie-max-age', 'cookie', `
    from mod_python import Cookie
    def handler(req):
        req.content_type = 'text/plain'
        req.write(str(Cookie.Cookie('aged', 'v', max_age=600)), 0)
        return apache.OK
  `, [{ path: '@/c' }], {
    expect: {
      differs: 'max_age is rendered as Max-Age=600 (RFC 6265); mod_python 3.5 writes max_age=600, which browsers ignore (spec §4.12, §8.1).',
      apache: { 0: { status: 200, body: 'aged=v; max_age=600' } },
      modpy: { 0: { status: 200, body: 'aged=v; Max-Age=600' } },
    },
  }),
  py('cookie-bad-attribute', 'cookie', `
    from mod_python import Cookie
    def handler(req):
        req.content_type = 'text/plain'
        try:
            Cookie.Cookie('x', 'y', colour='blue')
        except AttributeError:
            req.write('AttributeError', 0)
        return apache.OK
  `, [{ path: '@/c', status: 200, bodyHas: 'AttributeError' }]),
  py('cookie-get-cookies', 'cookie', `
    from mod_python import Cookie
    def handler(req):
        req.content_type = 'text/plain'
        cs = Cookie.get_cookies(req)
        one = Cookie.get_cookie(req, 'alpha')
        req.write('%r\\n%r %r\\n%r' % (sorted((k, v.value, type(v).__name__) for k, v in cs.items()), one and one.value, Cookie.get_cookie(req, 'none'), str(one)), 0)
        return apache.OK
  `, [{ path: '@/c', headers: { Cookie: 'alpha=1; beta="quoted value"; $Version=1; path=/x; alpha=2' }, status: 200 }]),
  py('cookie-parse-names-filter', 'cookie', `
    from mod_python import Cookie
    def handler(req):
        req.content_type = 'text/plain'
        req.write(repr(sorted(Cookie.Cookie.parse('a=1; b=2; c=3', names=['a', 'c']).keys())), 0)
        return apache.OK
  `, [{ path: '@/c', status: 200 }]),
  py('cookie-signed', 'cookie', `
    from mod_python import Cookie
    def handler(req):
        req.content_type = 'text/plain'
        c = Cookie.SignedCookie('signed', 'payload', 'secret-key')
        parsed = Cookie.SignedCookie.parse(str(c), 'secret-key')
        req.write('%s %s' % (type(parsed['signed']).__name__, parsed['signed'].value), 0)
        return apache.OK
  `, [{ path: '@/c' }], {
    expect: {
      differs: 'SignedCookie works on Python 3; mod_python 3.5 calls hmac.new with str and no digest and fails with 500 (spec §4.12, §8 point 11).',
      apache: { 0: { status: 500 } },
      modpy: { 0: { status: 200, body: 'SignedCookie payload' } },
    },
  }),
  py('cookie-marshal', 'cookie', `
    from mod_python import Cookie
    def handler(req):
        req.content_type = 'text/plain'
        c = Cookie.MarshalCookie('m', {'k': [1, 2]}, 'secret-key')
        parsed = Cookie.MarshalCookie.parse(str(c), 'secret-key')
        req.write(repr(parsed['m'].value), 0)
        return apache.OK
  `, [{ path: '@/c' }], {
    expect: {
      differs: 'MarshalCookie works on Python 3; mod_python 3.5 uses the removed base64.encodestring and fails with 500 (spec §4.12, §8 point 11).',
      apache: { 0: { status: 500 } },
      modpy: { 0: { status: 200, body: "{'k': [1, 2]}" } },
    },
  }),
  py('cookie-signed-tampered', 'cookie', `
    from mod_python import Cookie
    def handler(req):
        req.content_type = 'text/plain'
        try:
            c = Cookie.get_cookie(req, 'sig', Class=Cookie.SignedCookie, secret='k', mismatch=Cookie.Cookie.IGNORE)
            req.write(repr(c), 0)
        except Exception as e:
            req.write(type(e).__name__, 0)
        return apache.OK
  `, [{ path: '@/c', headers: { Cookie: 'sig=0123456789abcdef0123456789abcdefvalue' } }], {
    expect: {
      differs: 'A badly signed cookie is dropped with mismatch=IGNORE; mod_python 3.5 fails inside hmac on Python 3 (spec §4.12).',
      apache: { 0: { status: 200, body: 'TypeError' } },
      modpy: { 0: { status: 200, body: 'None' } },
    },
  }),
];

export const sessionGroup: CaseGroup = {
  name: 'session',
  apacheMaxWorkers: 4,
  conf: 'PythonOption mod_python.session.database_directory ${MP_VAR}\nPythonOption mod_python.file_session.database_directory ${MP_VAR}\n',
  cases: [...sessionCases, ...cookieCases],
};
