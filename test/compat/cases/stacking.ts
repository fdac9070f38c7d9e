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
    dir: `  PythonFixupHandler ${moduleName('fixup-stacking-all-run')}::f1 ${moduleName('fixup-stacking-all-run')}::f2 ${moduleName('fixup-stacking-all-run')}::f3`,
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
      PythonAuthenHandler ${moduleName('authen-stacking-first-ok-wins')}::a1 ${moduleName('authen-stacking-first-ok-wins')}::a2 ${moduleName('authen-stacking-first-ok-wins')}::a3
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
    dir: `  PythonAccessHandler ${moduleName('access-stacking-ok-continues')}::a1 ${moduleName('access-stacking-ok-continues')}::a2`,
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

/** A module whose handlers record their order in req.notes and return the given results. */
function recorder(results: Record<string, string>): string {
  const defs = Object.entries(results)
    .map(([name, rv]) => `def ${name}(req):\n    req.notes['order'] = req.notes.get('order', '') + '${name};'\n    return apache.${rv}\n`)
    .join('');
  return defs + "def handler(req):\n    req.content_type = 'text/plain'\n    req.write('order=' + req.notes.get('order', ''), 0)\n    return apache.OK\n";
}

function stack(name: string, directive: string, results: Record<string, string>, expected: string, extraDir = ''): CompatCase {
  const mod = moduleName(name);
  const list = Object.keys(results).map((f) => `${mod}::${f}`).join(' ');
  return py(name, 'phases', recorder(results), [{ path: '@/x', status: 200, bodyHas: `order=${expected}` }], { dir: `${extraDir}  ${directive} ${list}` });
}

const AUTH_CTX = '  AuthType Compat\n  AuthName stack\n  Require valid-user\n';
const SET_USER = "def authenhandler(req):\n    req.user = 'u'\n    return apache.OK\n";

const moreStacking: CompatCase[] = [
  stack('type-stacking-first-ok-wins', 'PythonTypeHandler', { t1: 'DECLINED', t2: 'OK', t3: 'OK' }, 't1;t2;'),
  stack('headerparser-stacking-all-run', 'PythonHeaderParserHandler', { h1: 'OK', h2: 'DECLINED', h3: 'OK' }, 'h1;h2;h3;'),
  stack('access-declined-then-ok', 'PythonAccessHandler', { a1: 'DECLINED', a2: 'OK', a3: 'OK' }, 'a1;a2;a3;'),
  {
    ...stack('authz-stacking-first-ok-wins', 'PythonAuthzHandler', { z1: 'DECLINED', z2: 'OK', z3: 'OK' }, 'z1;z2;', AUTH_CTX + `  PythonAuthenHandler ${moduleName('authz-stacking-first-ok-wins')}\n`),
  },
  py('log-stacking-all-run', 'phases', `
    def l1(req):
        req.log_error('tok_logstack l1')
        return apache.DECLINED
    def l2(req):
        req.log_error('tok_logstack l2')
        return apache.OK
    def l3(req):
        req.log_error('tok_logstack l3')
        return apache.OK
    def handler(req):
        req.write('x')
        return apache.OK
  `, [{ path: '@/x', status: 200 }], { dir: `  PythonLogHandler ${moduleName('log-stacking-all-run')}::l1 ${moduleName('log-stacking-all-run')}::l2 ${moduleName('log-stacking-all-run')}::l3`, compare: { log: 'tok_logstack' } }),
  py('cleanup-stacking-ok-only', 'phases', `
    def c1(req):
        req.log_error('tok_cleanstack c1')
        return apache.OK
    def c2(req):
        req.log_error('tok_cleanstack c2')
        return apache.DECLINED
    def c3(req):
        req.log_error('tok_cleanstack c3')
        return apache.OK
    def handler(req):
        req.write('x')
        return apache.OK
  `, [{ path: '@/x', status: 200 }], { dir: `  PythonCleanupHandler ${moduleName('cleanup-stacking-ok-only')}::c1 ${moduleName('cleanup-stacking-ok-only')}::c2 ${moduleName('cleanup-stacking-ok-only')}::c3`, compare: { log: 'tok_cleanstack' } }),
  py('content-declined-last-serves-static', 'phases', `
    def handler(req):
        req.notes['seen'] = '1'
        return apache.DECLINED
  `, [{ path: '@/page.html', status: 200, bodyHas: 'static after decline' }, { path: '@/', status: 200 }], { files: { 'page.html': '<p>static after decline</p>\n', 'index.html': '<p>index after decline</p>\n' } }),
];

// The authz case needs an authen handler that sets the user in the same module.
const authzCase = moreStacking.find((c) => c.name === 'authz-stacking-first-ok-wins')!;
const authzFile = `${moduleName(authzCase.name)}.py`;
authzCase.files = { ...authzCase.files, [authzFile]: (authzCase.files?.[authzFile] ?? '') + SET_USER };

export const stackingGroup: CaseGroup = { name: 'stacking', cases: [...stackingCases, ...moreStacking] };
