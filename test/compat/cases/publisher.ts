/**
 * @module compat/cases/publisher — mod_python.publisher (spec §4.9): URL → module → object,
 * index fallbacks, extension stripping, every 403/404 traversal and publication rule (the
 * CVE-2005-0088 fix), form arguments, content-type guessing, __auth__/__access__/__auth_realm__.
 */
import type { CaseGroup, CompatCase, CompatRequest, Differs } from '../lib/case.js';
import { dedent } from './helpers.js';

const INDEX = dedent(`
  import re
  from mod_python import apache, util
  _SECRET_PASSWORD = 'hidden'
  __ANSWER = 42
  SOME_CONSTANT = 'a published constant'
  somedict = {'alpha': 1}
  somedict_keys = somedict.keys
  some_list = [1, 2]

  def index(req=None):
      return 'index page'

  def hello(req, name='world'):
      return 'hello %s' % name

  def args(req, alpha=None, bb=None, day=None, year=None):
      return 'alpha=%r bb=%r day=%r year=%r' % (alpha, bb, day, year)

  def html(req):
      return '<html><body>markup</body></HTML>  '

  def nothing(req):
      return None

  def typed(req):
      req.content_type = 'application/json'
      return '{"a": 1}'

  def number(req):
      return 42

  def kwargs(req, **kw):
      return repr(sorted(kw.items()))

  def raises(req):
      raise ValueError('publisher boom')

  def status_gone(req):
      req.status = 410
      return 'gone page'

  def go_away(req):
      util.redirect(req, '/elsewhere/')

  def raw_bytes(req):
      return b'raw bytes'

  def no_req_arg():
      return 'called without req'

  def uses_form(req):
      return repr(sorted(req.form.keys()))

  class Klass:
      def method(self):
          return 'method of instance'

  instance = Klass()

  class Traversable:
      attr = 'attr value'
      def meth(self, req):
          return 'traversed method'
      def __call__(self, req):
          return 'called instance'

  obj = Traversable()
`);

const OTHER = dedent(`
  def index(req):
      return 'other index'

  def func(req):
      return 'other func'
`);

const NOINDEX = dedent(`
  def only(req):
      return 'only function'
`);

const AUTH = dedent(`
  __auth_realm__ = 'Compat Realm'
  __auth__ = {'alice': 'wonderland'}
  __access__ = ['alice']

  def secret(req):
      return 'secret for %s' % req.user
`);

const ACCESS_ONLY = dedent(`
  __access__ = ['nobody-matches']

  def page(req):
      return 'should be forbidden'
`);

const FUNC_AUTH = dedent(`
  def guarded(req):
      __auth_realm__ = 'Inner'
      def __auth__(req, user, password):
          return user == 'u' and password == 'p'
      return 'inner guarded'

  def callable_auth(req):
      return 'callable auth passed'
`);

const CALLABLE_AUTH = dedent(`
  def __auth__(req, user, password):
      return False

  def page(req):
      return 'never'
`);

const basic = (user: string, pw: string): Record<string, string> => ({ Authorization: 'Basic ' + Buffer.from(`${user}:${pw}`).toString('base64') });

function pub(name: string, requests: CompatRequest[], extra: Partial<CompatCase> = {}): CompatCase {
  return { name, area: 'publisher', requests, ...extra };
}

function differs(reason: string, apache: Differs['apache'], modpy: Differs['modpy']): Differs {
  return { differs: reason, ...(apache ? { apache } : {}), modpy };
}

const cases: CompatCase[] = [
  pub('pub-root-index', [{ path: '/pub/', status: 200, bodyHas: 'index page' }]),
  pub('pub-module-index', [{ path: '/pub/index', status: 200 }, { path: '/pub/index/', status: 200 }, { path: '/pub/index/index', status: 200 }]),
  pub('pub-function', [{ path: '/pub/index/hello', status: 200, bodyHas: 'hello world' }, { path: '/pub/index/hello?name=bob', status: 200, bodyHas: 'hello bob' }]),
  pub('pub-index-module-fallback', [{ path: '/pub/hello', status: 200, bodyHas: 'hello world' }, { path: '/pub/spam', status: 404 }]),
  pub('pub-extension-stripped', [{ path: '/pub/index.py/hello', status: 200, bodyHas: 'hello' }, { path: '/pub/other.py/func', status: 200, bodyHas: 'other func' }]),
  pub('pub-other-module', [{ path: '/pub/other', status: 200, bodyHas: 'other index' }, { path: '/pub/other/func', status: 200 }]),
  pub('pub-module-without-index', [{ path: '/pub/noindex/', status: 404 }, { path: '/pub/noindex/only', status: 200 }]),
  pub('pub-missing-module-falls-back', [{ path: '/pub/missing_module/x', status: 404 }]),
  pub('pub-underscore-403', [{ path: '/pub/_SECRET_PASSWORD', status: 403 }, { path: '/pub/__ANSWER', status: 403 }, { path: '/pub/index/_SECRET_PASSWORD', status: 403 }]),
  pub('pub-module-object-403', [{ path: '/pub/re', status: 403 }, { path: '/pub/apache', status: 403 }]),
  pub('pub-class-403', [{ path: '/pub/Klass', status: 403 }, { path: '/pub/Traversable', status: 403 }]),
  pub('pub-function-attributes-403', [{ path: '/pub/hello/__code__', status: 403 }, { path: '/pub/hello/func_code', status: 403 }, { path: '/pub/obj/meth/__func__', status: 403 }]),
  pub('pub-dict-methods-403', [{ path: '/pub/somedict/keys', status: 403 }, { path: '/pub/somedict_keys', status: 403 }]),
  pub('pub-builtin-403', [{ path: '/pub/re/compile', status: 403 }, { path: '/pub/len', status: 404 }]),
  pub('pub-dict-and-list-published', [{ path: '/pub/somedict', status: 200 }, { path: '/pub/some_list', status: 200 }]),
  pub('pub-constant-published', [{ path: '/pub/SOME_CONSTANT', status: 200, bodyHas: 'a published constant' }]),
  pub('pub-instance-traversal', [
    { path: '/pub/obj', status: 200, bodyHas: 'called instance' },
    { path: '/pub/obj/attr', status: 200, bodyHas: 'attr value' },
    { path: '/pub/obj/meth', status: 200, bodyHas: 'traversed method' },
    { path: '/pub/instance/method', status: 200 },
    { path: '/pub/obj/nothing_here', status: 404 },
  ]),
  pub('pub-none-result', [{ path: '/pub/nothing', status: 200 }]),
  pub('pub-content-type-guess', [{ path: '/pub/html', status: 200 }, { path: '/pub/hello', status: 200 }, { path: '/pub/typed', status: 200 }, { path: '/pub/number', status: 200 }]),
  pub('pub-head-content-length', [{ method: 'HEAD', path: '/pub/hello', status: 200 }]),
  pub('pub-method-not-allowed', [{ method: 'PUT', path: '/pub/hello', body: 'x', status: 405 }, { method: 'DELETE', path: '/pub/hello', status: 405 }]),
  pub('pub-post-urlencoded-long-keys', [{ method: 'POST', path: '/pub/uses_form', body: 'alpha=1&beta=2', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }], {
    expect: differs('Form fields from an urlencoded POST have str names; mod_python 3.5 gives bytes names (spec §4.8, §4.9).', { 0: { status: 200, body: "[b'alpha', b'beta']" } }, { 0: { status: 200, body: "['alpha', 'beta']" } }),
  }),
  pub('pub-post-args-reach-function', [{ method: 'POST', path: '/pub/args', body: 'alpha=1&year=2', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }], {
    expect: differs('POSTed fields must reach the published function; mod_python 3.5 drops them (bytes names, spec §4.9).', { 0: { status: 200, body: 'alpha=None bb=None day=None year=None' } }, { 0: { status: 200, body: "alpha='1' bb=None day=None year='2'" } }),
  }),
  pub('pub-query-short-args', [{ path: '/pub/args?alpha=1&bb=2&day=3&year=4' }], {
    expect: differs('Short query keys (bb, day) must reach the function; mod_python 3.5 loses them (upstream #144, spec §4.9).', { 0: { status: 200, body: "alpha='1' bb=None day=None year='4'" } }, { 0: { status: 200, body: "alpha='1' bb='2' day='3' year='4'" } }),
  }),
  pub('pub-bytes-result', [{ path: '/pub/raw_bytes' }], {
    expect: differs('A bytes result is written as it is (docs/library.md); mod_python 3.5 publishes its repr().', { 0: { status: 200, body: "b'raw bytes'" } }, { 0: { status: 200, body: 'raw bytes' } }),
  }),
  pub('pub-kwargs-long-keys', [{ path: '/pub/kwargs?alpha=1&gamma=2', status: 200 }]),
  pub('pub-function-without-req', [{ path: '/pub/no_req_arg', status: 200, bodyHas: 'called without req' }]),
  pub('pub-exception', [{ path: '/pub/raises', status: 500, bodyHas: 'publisher boom' }], {
    compare: { body: (b) => (b.includes('ValueError: publisher boom') ? 'traceback with ValueError' : b) },
  }),
  pub('pub-status-set', [{ path: '/pub/status_gone', status: 410, bodyHas: 'gone page' }]),
  pub('pub-redirect', [{ path: '/pub/go_away', status: 302 }]),
  pub('pub-auth-challenge', [{ path: '/pub/auth/secret', status: 401 }]),
  pub('pub-auth-credentials', [{ path: '/pub/auth/secret', headers: basic('alice', 'wonderland') }, { path: '/pub/auth/secret', headers: basic('alice', 'wrong') }], {
    expect: differs('Basic credentials are decoded with base64.b64decode; mod_python 3.5 calls the removed base64.decodestring and answers 400 (spec §8.1).',
      { 0: { status: 400 }, 1: { status: 400 } },
      { 0: { status: 200, body: 'secret for alice' }, 1: { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="Compat Realm"' } } }),
  }),
  pub('pub-access-denied', [{ path: '/pub/access_only/page', status: 403 }]),
  pub('pub-callable-auth-no-credentials', [{ path: '/pub/callable_auth/page', status: 401 }]),
  pub('pub-nested-function-auth', [{ path: '/pub/func_auth/guarded', status: 401 }, { path: '/pub/func_auth/callable_auth', status: 200 }]),
  {
    name: 'pub-addhandler-extensions',
    area: 'publisher',
    conf: '<Directory ${CASE}>\n  AddHandler mod_python .py .pyx\n  PythonHandler mod_python.publisher\n</Directory>\n',
    files: { 'mod.py': 'def page(req):\n    return "page via .py"\n', 'other.pyx': 'x', 'plain.txt': 'not published\n' },
    requests: [
      { path: '@/mod.py/page', status: 200, bodyHas: 'page via .py' },
      { path: '@/mod.pyx/page', status: 200, bodyHas: 'page via .py' },
      { path: '@/plain.txt', status: 200, bodyHas: 'not published' },
    ],
  },
  pub('pub-page-reloaded-on-change', [
    { path: '/pub/reloaded/page', status: 200, bodyHas: 'first version' },
    { path: '/pub/reloaded/page', rewrite: { '../pub/reloaded.py': 'def page(req):\n    return "second version"\n' }, status: 200, bodyHas: 'second version' },
  ]),
];

export const publisherGroup: CaseGroup = {
  name: 'publisher',
  conf: dedent(`
    <Directory \${DOCROOT}/pub>
      SetHandler mod_python
      PythonHandler mod_python.publisher
      PythonDebug On
    </Directory>
  `),
  files: {
    'htdocs/pub/index.py': INDEX,
    'htdocs/pub/other.py': OTHER,
    'htdocs/pub/noindex.py': NOINDEX,
    'htdocs/pub/auth.py': AUTH,
    'htdocs/pub/access_only.py': ACCESS_ONLY,
    'htdocs/pub/func_auth.py': FUNC_AUTH,
    'htdocs/pub/callable_auth.py': CALLABLE_AUTH,
    'htdocs/pub/reloaded.py': 'def page(req):\n    return "first version"\n',
  },
  cases,
};
