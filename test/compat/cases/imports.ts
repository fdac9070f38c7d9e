/**
 * @module compat/cases/imports — PythonPath (eval once, disables the directory prepend),
 * PythonImport (order, vhost, module::function), apache.import_module and autoreload
 * (spec §3.5, §3.6, §3.8). A server-level PythonPath is in force for the whole group, so every
 * module lives in the shared lib/ directory it names.
 */
import type { CaseGroup, CompatCase } from '../lib/case.js';
import { dedent } from './helpers.js';

function libCase(name: string, module: string, requests: CompatCase['requests'], extra: Partial<CompatCase> = {}, dir = ''): CompatCase {
  return {
    name,
    area: 'imports',
    conf: `<Directory \${CASE}>\n  SetHandler mod_python\n  PythonHandler ${module}\n  PythonDebug On\n${dir}</Directory>\n`,
    requests,
    ...extra,
  };
}

const RELOAD_V1 = "from mod_python import apache\nVERSION = 'v1'\ndef handler(req):\n    req.content_type = 'text/plain'\n    req.write('version=' + VERSION, 0)\n    return apache.OK\n";
const RELOAD_V2 = RELOAD_V1.replace("'v1'", "'v2'");

const cases: CompatCase[] = [
  libCase('pythonpath-server-level-no-prepend', 'imp_show_path', [{ path: '@/x', status: 200 }]),
  libCase('pythonpath-directory-eval', 'imp_extra_mod', [{ path: '@/x', status: 200, bodyHas: 'extra module' }], {}, "  PythonPath \"sys.path+['${SITE}/lib','${SITE}/extra']\"\n  PythonInterpreter pp_interp\n"),
  libCase('python-import-ran-at-start', 'imp_show_imports', [{ path: '@/x', status: 200, bodyHas: 'imported_a' }]),
  {
    ...libCase('python-import-order', 'imp_show_order', [{ path: '@/x' }]),
    expect: {
      differs: 'PythonImport directives run in the order written; mod_python 3.5 runs them in reverse (spec §3.8, §8 point 11).',
      apache: { 0: { status: 200, body: "order=['b', 'a']" } },
      modpy: { 0: { status: 200, body: "order=['a', 'b']" } },
    },
  },
  {
    ...libCase('python-import-in-vhost', 'imp_show_vhost', [{ path: '@/x', listener: 'vhost' }]),
    expect: {
      differs: 'A PythonImport inside <VirtualHost> runs at start-up in its interpreter; mod_python 3.5 never runs it (spec §3.8, §8 point 11).',
      apache: { 0: { status: 200, body: 'vhost_import=False' } },
      modpy: { 0: { status: 200, body: 'vhost_import=True' } },
    },
  },
  libCase('python-import-function-called', 'imp_show_func', [{ path: '@/x', status: 200, bodyHas: 'init_called=True' }]),
  libCase('apache-import-module', 'imp_use_import_module', [{ path: '@/x', status: 200, bodyHas: 'same=True' }]),
  libCase('sys-argv-in-handler', 'imp_show_argv', [{ path: '@/x', status: 200 }]),
  libCase('python-optimize-on', 'imp_show_optimize', [{ path: '@/x', status: 200 }]),
  {
    ...libCase('autoreload-on-reimports', 'c_autoreload_on', [
      { path: '@/x', status: 200, bodyHas: 'version=v1' },
      { path: '@/x', rewrite: { 'c_autoreload_on.py': RELOAD_V2 }, delayMs: 1200 },
    ], { files: { 'c_autoreload_on.py': RELOAD_V1 } }, "  PythonPath \"sys.path+['${CASE}']\"\n  PythonInterpreter reload_on\n"),
    expect: {
      differs: 'With PythonAutoReload On (the default) a changed handler module is re-executed; mod_python 3.5 (importlib) keeps serving the old code (spec §3.6, §8 point 7).',
      apache: { 1: { status: 200, body: 'version=v1' } },
      modpy: { 1: { status: 200, body: 'version=v2' } },
    },
  },
  libCase('autoreload-off-keeps-module', 'c_autoreload_off', [
    { path: '@/x', status: 200, bodyHas: 'version=v1' },
    { path: '@/x', rewrite: { 'c_autoreload_off.py': RELOAD_V2 }, delayMs: 1200, status: 200, bodyHas: 'version=v1' },
  ], { files: { 'c_autoreload_off.py': RELOAD_V1 } }, "  PythonPath \"sys.path+['${CASE}']\"\n  PythonInterpreter reload_off\n  PythonAutoReload Off\n"),
];

const lib = (code: string): string => 'from mod_python import apache\n' + dedent(code);

export const importsGroup: CaseGroup = {
  name: 'imports',
  conf: dedent(`
    PythonPath "sys.path+['\${SITE}/lib']"
    PythonImport imp_a 127.0.0.1
    PythonImport imp_b 127.0.0.1
    PythonImport imp_func::init 127.0.0.1
    PythonOptimize On
    <VirtualHost 127.0.0.1:\${MP_PORT2}>
      ServerName vhost.test
      DocumentRoot \${DOCROOT}
      PythonImport imp_vh vhost.test
    </VirtualHost>
  `),
  files: {
    'lib/imp_order.py': 'ORDER = []\n',
    'lib/imp_a.py': 'import imp_order\nimp_order.ORDER.append("a")\nimported_a = True\n',
    'lib/imp_b.py': 'import imp_order\nimp_order.ORDER.append("b")\n',
    'lib/imp_vh.py': 'RAN = True\n',
    'lib/imp_func.py': 'CALLED = False\ndef init():\n    global CALLED\n    CALLED = True\n',
    'lib/imp_show_path.py': lib(`
      import sys
      def handler(req):
          req.content_type = 'text/plain'
          d = req.hlist.directory
          req.write('dir_in_path=%r lib_in_path=%r' % (d in sys.path, '\${SITE}/lib' in sys.path), 0)
          return apache.OK
    `),
    'extra/imp_extra_mod.py': lib(`
      def handler(req):
          req.content_type = 'text/plain'
          req.write('extra module', 0)
          return apache.OK
    `),
    'lib/imp_show_imports.py': lib(`
      import sys
      def handler(req):
          req.content_type = 'text/plain'
          req.write('imported_a' if 'imp_a' in sys.modules else 'imp_a missing', 0)
          return apache.OK
    `),
    'lib/imp_show_order.py': lib(`
      import imp_order
      def handler(req):
          req.content_type = 'text/plain'
          req.write('order=%r' % imp_order.ORDER, 0)
          return apache.OK
    `),
    'lib/imp_show_vhost.py': lib(`
      import sys
      def handler(req):
          req.content_type = 'text/plain'
          req.write('vhost_import=%r' % ('imp_vh' in sys.modules), 0)
          return apache.OK
    `),
    'lib/imp_show_func.py': lib(`
      import sys
      def handler(req):
          req.content_type = 'text/plain'
          m = sys.modules.get('imp_func')
          req.write('init_called=%r' % (m is not None and m.CALLED), 0)
          return apache.OK
    `),
    'lib/imp_use_import_module.py': lib(`
      import imp_order
      def handler(req):
          req.content_type = 'text/plain'
          m = apache.import_module('imp_order')
          req.write('same=%r name=%r' % (m is imp_order, m.__name__), 0)
          return apache.OK
    `),
    'lib/imp_show_optimize.py': lib(`
      import sys
      def handler(req):
          req.content_type = 'text/plain'
          req.write('optimize=%r' % (sys.flags.optimize,), 0)
          return apache.OK
    `),
    'lib/imp_show_argv.py': lib(`
      import sys
      def handler(req):
          req.content_type = 'text/plain'
          req.write('argv=%r' % (sys.argv,), 0)
          return apache.OK
    `),
  },
  cases,
};
