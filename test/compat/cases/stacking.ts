/**
 * @module compat/cases/stacking — every phase's continue/stop rule for stacked handlers (spec
 * §3.4), the phases around the content handler (access, authen, authz, type, header parser,
 * fixup, log, cleanup), PythonHandlerModule and a PythonInitHandler in <Directory>.
 */
import type { CaseGroup, CompatCase } from '../lib/case.js';
import { dedent, moduleName, py } from './helpers.js';

const stackingCases: CompatCase[] = [
  py('fixup-stacking-all-run', 'phases', `
    def f(n, rv):
        def h(req):
            req.notes['order'] = req.notes.get('order', '') + str(n)
            return rv
        return h
    f1 = f(1, apache.DECLINED)
    f2 = f(2, apache.OK)
    f3 = f(3, apache.OK)
    def handler(req):
        req.content_type = 'text/plain'
        req.write('order=' + req.notes.get('order', ''))
        return apache.OK
  `, [{ path: '@/x', status: 200, bodyHas: 'order=123' }], {
    dir: `  PythonFixupHandler ${handlers('fixup-stacking-all-run', ['f1', 'f2', 'f3'])}`,
  }),

  py('authen-stacking-first-ok-wins', 'phases', `
    def a(n, rv, user=None):
        def h(req):
            req.notes['order'] = req.notes.get('order', '') + str(n)
            if user:
                req.user = user
            return rv
        return h
    a1 = a(1, apache.DECLINED)
    a2 = a(2, apache.OK, 'alice')
    a3 = a(3, apache.OK, 'bob')
    def handler(req):
        req.content_type = 'text/plain'
        req.write('order=%s user=%s' % (req.notes.get('order', ''), req.user))
        return apache.OK
  `, [{ path: '@/x', status: 200, bodyHas: 'order=12 user=alice' }], {
    dir: dedent(`
      AuthType Compat
      AuthName stack
      Require valid-user
      PythonAuthenHandler ${handlers('authen-stacking-first-ok-wins', ['a1', 'a2', 'a3'])}
    `),
  }),

  py('access-stacking-ok-continues', 'phases', `
    def a1(req):
        req.notes['order'] = 'A'
        return apache.OK
    def a2(req):
        req.notes['order'] += 'B'
        return apache.DECLINED
    def handler(req):
        req.content_type = 'text/plain'
        req.write('order=' + req.notes['order'])
        return apache.OK
  `, [{ path: '@/x', status: 200, bodyHas: 'order=AB' }], {
    dir: `  PythonAccessHandler ${handlers('access-stacking-ok-continues', ['a1', 'a2'])}`,
  }),

  py('access-forbidden', 'phases', `
    def accesshandler(req):
        return apache.HTTP_FORBIDDEN
    def handler(req):
        req.write('should not run')
        return apache.OK
  `, [{ path: '@/x', status: 403 }], { dir: `  PythonAccessHandler ${moduleName('access-forbidden')}` }),

  py('type-handler-sets-type', 'phases', `
    def typehandler(req):
        req.content_type = 'application/x-compat'
        return apache.OK
    def handler(req):
        req.write('type=' + req.content_type)
        return apache.OK
  `, [{ path: '@/x', status: 200, bodyHas: 'type=application/x-compat' }], { dir: `  PythonTypeHandler ${moduleName('type-handler-sets-type')}` }),

  py('header-parser-handler', 'phases', `
    def headerparserhandler(req):
        req.notes['hp'] = req.headers_in.get('X-Probe', 'none')
        return apache.OK
    def handler(req):
        req.content_type = 'text/plain'
        req.write('hp=' + req.notes['hp'])
        return apache.OK
  `, [{ path: '@/x', headers: { 'X-Probe': 'seen' }, status: 200, bodyHas: 'hp=seen' }], { dir: `  PythonHeaderParserHandler ${moduleName('header-parser-handler')}` }),

  py('fixup-redirect', 'phases', `
    from mod_python import util
    def fixuphandler(req):
        util.redirect(req, '/elsewhere/')
    def handler(req):
        req.write('not reached')
        return apache.OK
  `, [{ path: '@/x', status: 302 }], { dir: `  PythonFixupHandler ${moduleName('fixup-redirect')}` }),

  py('log-handler-writes-log', 'phases', `
    def loghandler(req):
        req.log_error('tok_loghandler uri=' + req.uri)
        return apache.OK
    def handler(req):
        req.write('logged later')
        return apache.OK
  `, [{ path: '@/x', status: 200 }], { dir: `  PythonLogHandler ${moduleName('log-handler-writes-log')}`, compare: { log: 'tok_loghandler' } }),

  py('cleanup-handler-runs', 'phases', `
    def cleanuphandler(req):
        req.log_error('tok_cleanuphandler status=%d' % req.status)
        return apache.OK
    def handler(req):
        req.write('cleanup after')
        return apache.OK
  `, [{ path: '@/x', status: 200 }], { dir: `  PythonCleanupHandler ${moduleName('cleanup-handler-runs')}`, compare: { log: 'tok_cleanuphandler' } }),

  py('register-cleanup-runs', 'phases', `
    def done(data):
        apache.log_error('tok_regcleanup data=' + data)
    def handler(req):
        req.register_cleanup(done, 'payload')
        req.write('registered')
        return apache.OK
  `, [{ path: '@/x', status: 200 }], { compare: { log: 'tok_regcleanup' } }),

  {
    name: 'handler-module-missing-functions',
    area: 'phases',
    conf: `<Directory \${CASE}>\n  SetHandler mod_python\n  PythonHandlerModule ${moduleName('handler-module-missing-functions')}\n</Directory>\n`,
    files: {
      [`${moduleName('handler-module-missing-functions')}.py`]: dedent(`
        from mod_python import apache
        def fixuphandler(req):
            req.notes['fx'] = 'yes'
            return apache.OK
        def handler(req):
            req.content_type = 'text/plain'
            req.write('fixup=' + req.notes.get('fx', 'no'))
            return apache.OK
      `),
    },
    requests: [{ path: '@/x' }],
    expect: {
      differs: 'PythonHandlerModule must skip phases whose function is missing; mod_python 3.5 answers 500 (spec §3.8, §8 point 11).',
      apache: { 0: { status: 500 } },
      modpy: { 0: { status: 200, body: 'fixup=yes' } },
    },
  },

  py('init-handler-in-directory', 'phases', `
    def inithandler(req):
        req.notes['init'] = 'ran'
        return apache.OK
    def handler(req):
        req.content_type = 'text/plain'
        req.write('init=' + req.notes.get('init', 'not run'))
        return apache.OK
  `, [{ path: '@/x', status: 200 }], {
    dir: `  PythonInitHandler ${moduleName('init-handler-in-directory')}`,
    expect: {
      differs: 'A PythonInitHandler in <Directory> must run at header-parser time; mod_python 3.5 never runs it (spec §3.8, §8 point 11).',
      apache: { 0: { status: 200, body: 'init=not run' } },
      modpy: { 0: { status: 200, body: 'init=ran' } },
    },
  }),

  py('authen-ok-without-user', 'phases', `
    def authenhandler(req):
        return apache.OK
    def handler(req):
        req.write('not reached')
        return apache.OK
  `, [{ path: '@/x', status: 500 }], { dir: dedent(`
      AuthType Compat
      AuthName nouser
      Require valid-user
      PythonAuthenHandler ${moduleName('authen-ok-without-user')}
  `) }),

  py('authz-handler-forbids', 'phases', `
    def authenhandler(req):
        req.user = 'carol'
        return apache.OK
    def authzhandler(req):
        return apache.HTTP_FORBIDDEN if req.user == 'carol' else apache.OK
    def handler(req):
        req.write('not reached')
        return apache.OK
  `, [{ path: '@/x', status: 403 }], { dir: dedent(`
      AuthType Compat
      AuthName authz
      Require valid-user
      PythonAuthenHandler ${moduleName('authz-handler-forbids')}
      PythonAuthzHandler ${moduleName('authz-handler-forbids')}
  `) }),
];

/** The case module's functions `fns` as one stacked handler list: "mod::f1 mod::f2 …". */
function handlers(caseName: string, fns: readonly string[]): string {
  const mod = moduleName(caseName);
  return fns.map((f) => `${mod}::${f}`).join(' ');
}

/** A module whose handlers record their order in req.notes and return the given results. */
function recorder(results: Record<string, string>): string {
  const defs = Object.entries(results)
    .map(([name, rv]) => `def ${name}(req):\n    req.notes['order'] = req.notes.get('order', '') + '${name};'\n    return apache.${rv}\n`)
    .join('');
  return defs + "def handler(req):\n    req.content_type = 'text/plain'\n    req.write('order=' + req.notes.get('order', ''), 0)\n    return apache.OK\n";
}

interface StackExtras {
  /** Lines of the case's <Directory> before the stacked directive. */
  dir?: string;
  /** Python added to the case module after the recorded handlers. */
  code?: string;
}

/** `directive` stacking recorder(results) handlers; the content handler must see `expected` run. */
function stack(name: string, directive: string, results: Record<string, string>, expected: string, extras: StackExtras = {}): CompatCase {
  const list = handlers(name, Object.keys(results));
  return py(name, 'phases', recorder(results) + (extras.code ?? ''), [{ path: '@/x', status: 200, bodyHas: `order=${expected}` }], {
    dir: `${extras.dir ?? ''}  ${directive} ${list}`,
  });
}

/**
 * `directive` stacking handlers that each log "<token> <name>" and return the given results (log
 * and cleanup phases answer nothing the client sees): the error-log lines with `token` are compared.
 */
function loggingStack(name: string, directive: string, token: string, results: Record<string, string>): CompatCase {
  const defs = Object.entries(results).map(([fn, rv]) => `def ${fn}(req):\n    req.log_error('${token} ${fn}')\n    return apache.${rv}\n`);
  const code = defs.join('') + "def handler(req):\n    req.write('x')\n    return apache.OK\n";
  return py(name, 'phases', code, [{ path: '@/x', status: 200 }], { dir: `  ${directive} ${handlers(name, Object.keys(results))}`, compare: { log: token } });
}

const AUTH_CTX = '  AuthType Compat\n  AuthName stack\n  Require valid-user\n';
const SET_USER = "def authenhandler(req):\n    req.user = 'u'\n    return apache.OK\n";

const moreStacking: CompatCase[] = [
  stack('type-stacking-first-ok-wins', 'PythonTypeHandler', { t1: 'DECLINED', t2: 'OK', t3: 'OK' }, 't1;t2;'),
  stack('headerparser-stacking-all-run', 'PythonHeaderParserHandler', { h1: 'OK', h2: 'DECLINED', h3: 'OK' }, 'h1;h2;h3;'),
  stack('access-declined-then-ok', 'PythonAccessHandler', { a1: 'DECLINED', a2: 'OK', a3: 'OK' }, 'a1;a2;a3;'),
  // Authorization runs only once a user is known: the same module's authen handler sets one.
  stack('authz-stacking-first-ok-wins', 'PythonAuthzHandler', { z1: 'DECLINED', z2: 'OK', z3: 'OK' }, 'z1;z2;', {
    dir: AUTH_CTX + `  PythonAuthenHandler ${moduleName('authz-stacking-first-ok-wins')}\n`,
    code: SET_USER,
  }),
  loggingStack('log-stacking-all-run', 'PythonLogHandler', 'tok_logstack', { l1: 'DECLINED', l2: 'OK', l3: 'OK' }),
  loggingStack('cleanup-stacking-ok-only', 'PythonCleanupHandler', 'tok_cleanstack', { c1: 'OK', c2: 'DECLINED', c3: 'OK' }),
  py('content-declined-last-serves-static', 'phases', `
    def handler(req):
        req.notes['seen'] = '1'
        return apache.DECLINED
  `, [{ path: '@/page.html', status: 200, bodyHas: 'static after decline' }, { path: '@/', status: 200 }], { files: { 'page.html': '<p>static after decline</p>\n', 'index.html': '<p>index after decline</p>\n' } }),
];

export const stackingGroup: CaseGroup = { name: 'stacking', cases: [...stackingCases, ...moreStacking] };
