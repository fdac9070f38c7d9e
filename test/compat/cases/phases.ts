/**
 * @module compat/cases/phases — the content phase and its stacking/return-code rules (spec §2.3,
 * §3.4), SERVER_RETURN forms, DECLINED fallback to static files, handler gating, error pages.
 */
import type { CaseGroup, CompatCase } from '../lib/case.js';
import { dedent, moduleName, py } from './helpers.js';

/** Keeps the first line of the debug page and the exception's class: tracebacks' frames, line
 *  numbers and message wording are implementation details. */
export function tracebackShape(body: string): string {
  const lines = body.split('\n').map((l) => l.trim()).filter(Boolean);
  const head = lines.find((l) => l.includes('Mod_python error')) ?? '';
  const last = lines.filter((l) => /^[A-Za-z_.]+(Error|Exception|SERVER_RETURN)\b/.test(l)).pop() ?? '';
  const cls = /^[A-Za-z_.]+/.exec(last)?.[0] ?? '';
  return `${head}\n${cls}\n${body.includes('<pre>') ? 'pre' : 'no-pre'}`;
}

const phaseCases: CompatCase[] = [
  py('content-hello', 'phases', `
    def handler(req):
        req.content_type = 'text/plain'
        req.write('hello')
        return apache.OK
  `, [{ path: '@/x', status: 200, bodyHas: 'hello' }]),

  py('content-default-type', 'phases', `
    def handler(req):
        req.write('no type set')
        return apache.OK
  `, [{ path: '@/x', status: 200 }]),

  py('stacked-content-ok-runs-next', 'phases', `
    def a(req):
        req.write('a;')
        return apache.OK
    def b(req):
        req.write('b;')
        return apache.OK
  `, [{ path: '@/x', status: 200, bodyHas: 'a;b;' }], { handler: `${moduleName('stacked-content-ok-runs-next')}::a ${moduleName('stacked-content-ok-runs-next')}::b` }),

  py('stacked-content-declined-stops', 'phases', `
    def a(req):
        return apache.DECLINED
    def b(req):
        req.write('b ran')
        return apache.OK
  `, [{ path: '@/data.txt', status: 200, bodyHas: 'static data' }, { path: '@/missing', status: 404 }], {
    handler: `${moduleName('stacked-content-declined-stops')}::a ${moduleName('stacked-content-declined-stops')}::b`,
    files: { 'data.txt': 'static data\n' },
  }),

  py('server-return-ok-continues', 'phases', `
    def a(req):
        req.write('a;')
        raise apache.SERVER_RETURN(apache.OK)
    def b(req):
        req.write('b;')
        return apache.OK
  `, [{ path: '@/x', status: 200, bodyHas: 'a;b;' }], { handler: `${moduleName('server-return-ok-continues')}::a ${moduleName('server-return-ok-continues')}::b` }),

  py('return-done', 'phases', `
    def a(req):
        req.content_type = 'text/plain'
        req.write('done;')
        return apache.DONE
    def b(req):
        req.write('not reached')
        return apache.OK
  `, [{ path: '@/x', status: 200, bodyHas: 'done;' }], { handler: `${moduleName('return-done')}::a ${moduleName('return-done')}::b` }),

  py('return-http-not-found', 'phases', `
    def handler(req):
        return apache.HTTP_NOT_FOUND
  `, [{ path: '@/x', status: 404 }]),

  py('return-http-forbidden', 'phases', `
    def handler(req):
        return apache.HTTP_FORBIDDEN
  `, [{ path: '@/x', status: 403 }]),

  py('return-server-error', 'phases', `
    def handler(req):
        return apache.HTTP_INTERNAL_SERVER_ERROR
  `, [{ path: '@/x', status: 500 }]),

  py('return-service-unavailable', 'phases', `
    def handler(req):
        return apache.HTTP_SERVICE_UNAVAILABLE
  `, [{ path: '@/x', status: 503 }]),

  py('raise-server-return-code', 'phases', `
    def handler(req):
        raise apache.SERVER_RETURN(apache.HTTP_NOT_FOUND)
  `, [{ path: '@/x', status: 404 }]),

  py('raise-server-return-code-and-status', 'phases', `
    def handler(req):
        raise apache.SERVER_RETURN(apache.HTTP_NOT_FOUND, apache.HTTP_GONE)
  `, [{ path: '@/x', status: 404 }]),

  py('raise-server-return-no-args', 'phases', `
    def handler(req):
        raise apache.SERVER_RETURN
  `, [{ path: '@/x' }], { compare: { body: tracebackShape } }),

  py('own-error-page-status-ok', 'phases', `
    def handler(req):
        req.status = apache.HTTP_NOT_FOUND
        req.content_type = 'text/plain'
        req.write('my own not found page')
        return apache.OK
  `, [{ path: '@/x', status: 404, bodyHas: 'my own' }]),

  // Apache has no reason phrase for 299 and answers 500 with the handler's body.
  py('status-line-custom', 'phases', `
    def handler(req):
        req.status = 299
        req.content_type = 'text/plain'
        req.write('odd status')
        return apache.OK
  `, [{ path: '@/x', status: 500 }]),

  py('return-bool-is-error', 'phases', `
    def handler(req):
        req.content_type = 'text/plain'
        return True
  `, [{ path: '@/x', status: 500 }], { compare: { body: tracebackShape } }),

  py('return-none-is-error', 'phases', `
    def handler(req):
        return None
  `, [{ path: '@/x', status: 500 }], { compare: { body: tracebackShape } }),

  py('exception-debug-on', 'phases', `
    def handler(req):
        raise ValueError('boom in handler')
  `, [{ path: '@/x', status: 500, bodyHas: 'Mod_python error' }], { compare: { body: tracebackShape } }),

  py('exception-debug-off', 'phases', `
    def handler(req):
        raise ValueError('boom tok_exc_off')
  `, [{ path: '@/x', status: 500, bodyHas: 'Internal Server Error' }], { debug: false, compare: { log: 'tok_exc_off' } }),

  py('exception-after-output', 'phases', `
    def handler(req):
        req.content_type = 'text/plain'
        req.write('partial;')
        raise KeyError('late')
  `, [{ path: '@/x', status: 200, bodyHas: 'partial;' }], { compare: { body: (b) => `${b.startsWith('partial;')}\n${tracebackShape(b)}` } }),

  py('exception-html-escaped', 'phases', `
    def handler(req):
        raise ValueError('<script>x</script>')
  `, [{ path: '@/x', status: 500, bodyHas: '&lt;script&gt;' }], { compare: { body: tracebackShape } }),

  py('head-request-no-body', 'phases', `
    def handler(req):
        req.content_type = 'text/plain'
        req.write('header_only=%r' % req.header_only, 0)
        return apache.OK
  `, [{ method: 'HEAD', path: '@/x', status: 200 }, { path: '@/x', status: 200, bodyHas: 'header_only=0' }]),

  py('missing-handler-function', 'phases', `
    def other(req):
        return apache.OK
  `, [{ path: '@/x', status: 500 }], { compare: { body: tracebackShape } }),

  py('missing-handler-module', 'phases', `
    pass
  `, [{ path: '@/x', status: 500 }], { handler: 'no_such_module_xyz', compare: { body: tracebackShape } }),

  py('handler-syntax-error', 'phases', `
    def handler(req)
        return apache.OK
  `, [{ path: '@/x', status: 500 }], { compare: { body: tracebackShape } }),

  py('class-method-handler', 'phases', `
    class Page:
        def __init__(self, req):
            self.name = 'page-for-' + req.uri.rsplit('/', 1)[-1]
        def render(self, req):
            req.content_type = 'text/plain'
            req.write(self.name)
            return apache.OK
  `, [{ path: '@/abc', status: 200, bodyHas: 'page-for-abc' }], { handler: `${moduleName('class-method-handler')}::Page.render` }),

  py('callable-object-handler', 'phases', `
    class Greeter:
        def __call__(self, req):
            req.content_type = 'text/plain'
            req.write('called instance')
            return apache.OK
    greeter = Greeter()
  `, [{ path: '@/x', status: 200, bodyHas: 'called instance' }], { handler: `${moduleName('callable-object-handler')}::greeter` }),

  // PythonHandler only runs for the mod_python / python-program handlers.
  {
    name: 'handler-needs-sethandler',
    area: 'phases',
    conf: `<Directory \${CASE}>\n  PythonHandler ${moduleName('handler-needs-sethandler')}\n</Directory>\n`,
    files: {
      [`${moduleName('handler-needs-sethandler')}.py`]: 'from mod_python import apache\ndef handler(req):\n    req.write("python ran")\n    return apache.OK\n',
      'page.txt': 'plain static page\n',
    },
    requests: [{ path: '@/page.txt', status: 200, bodyHas: 'plain static page' }],
  },
  {
    name: 'python-program-handler',
    area: 'phases',
    conf: `<Directory \${CASE}>\n  SetHandler python-program\n  PythonHandler ${moduleName('python-program-handler')}\n</Directory>\n`,
    files: { [`${moduleName('python-program-handler')}.py`]: 'from mod_python import apache\ndef handler(req):\n    req.write("python-program ran")\n    return apache.OK\n' },
    requests: [{ path: '@/x', status: 200, bodyHas: 'python-program ran' }],
  },
  {
    name: 'addhandler-by-extension',
    area: 'phases',
    conf: `<Directory \${CASE}>\n  AddHandler mod_python .py\n  PythonHandler ${moduleName('addhandler-by-extension')}\n</Directory>\n`,
    files: {
      [`${moduleName('addhandler-by-extension')}.py`]: 'from mod_python import apache\ndef handler(req):\n    req.content_type = "text/plain"\n    req.write("ext handler for " + req.uri)\n    return apache.OK\n',
      'page.txt': 'static text\n',
      'thing.py': '# any .py file routes to the handler\n',
    },
    requests: [{ path: '@/thing.py', status: 200, bodyHas: 'ext handler' }, { path: '@/page.txt', status: 200, bodyHas: 'static text' }],
  },
  py('handler-ext-restriction', 'phases', `
    def handler(req):
        req.content_type = 'text/plain'
        req.write('ext=%r' % req.extension)
        return apache.OK
  `, [{ path: '@/a.foo', status: 200 }, { path: '@/b.bar', status: 404 }], { handler: `${moduleName('handler-ext-restriction')} | .foo` }),

  py('fixup-sets-handler', 'phases', `
    def fixuphandler(req):
        req.handler = 'mod_python'
        return apache.OK
    def handler(req):
        req.content_type = 'text/plain'
        req.write('content after fixup set handler')
        return apache.OK
  `, [{ path: '@/x', status: 200, bodyHas: 'content after fixup' }], {
    // No SetHandler here: the fixup turns the request over to mod_python.
    conf: '',
    handler: moduleName('fixup-sets-handler'),
  }),
];

// fixup-sets-handler: replace the generated SetHandler with a fixup handler.
const fixup = phaseCases.find((c) => c.name === 'fixup-sets-handler')!;
fixup.conf = `<Directory \${CASE}>\n  PythonFixupHandler ${moduleName(fixup.name)}\n  PythonHandler ${moduleName(fixup.name)}\n  PythonDebug On\n</Directory>\n`;

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

export const phasesGroup: CaseGroup = { name: 'phases', cases: [...phaseCases, ...stackingCases, ...moreStacking] };
