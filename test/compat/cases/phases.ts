/**
 * @module compat/cases/phases — the content phase and its stacking/return-code rules (spec §2.3,
 * §3.4), SERVER_RETURN forms, DECLINED fallback to static files, handler gating, error pages.
 */
import type { CaseGroup, CompatCase } from '../lib/case.js';
import { moduleName, py } from './helpers.js';

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

export const phasesGroup: CaseGroup = { name: 'phases', cases: phaseCases };
