/**
 * @module compat/cases/request-header — mod_headers' RequestHeader against mod_python's view of
 * req.headers_in: `early` ones (vhost level) before every Python phase, the others at the end of
 * fixups (after a PythonFixupHandler, before the content handler), the result in the CGI
 * variables, a header a PythonFixupHandler changed seen by a later RequestHeader edit, and an
 * early one seen by SetEnvIf.
 */
import type { CaseGroup, CompatCase } from '../lib/case.js';
import { dedent } from './helpers.js';

const RH_MOD = dedent(`
  from mod_python import apache

  WATCH = ('X-Early', 'X-Added', 'Accept', 'X-Drop', 'User-Agent', 'X-Py')

  def seen(req, label):
      return '%s: %s' % (label, ' | '.join('%s=%s' % (k, req.headers_in.get(k)) for k in WATCH))

  def headerparser(req):
      req.notes['hp'] = seen(req, 'headerparser')
      return apache.OK

  def fixup(req):
      req.notes['fixup'] = seen(req, 'fixup')
      req.headers_in['X-Py'] = 'set by python'
      return apache.OK

  def redirector(req):
      if req.args == 'target':
          req.content_type = 'text/plain'
          env = req.subprocess_env
          req.write('after redirect: X-Before-Redirect=%s REDIRECT_FOO=%s REDIRECT_BY_SETENV=%s '
                    'REDIRECT_STATUS=%s FOO=%s' % (
                        req.headers_in.get('X-Before-Redirect'), env.get('REDIRECT_FOO'),
                        env.get('REDIRECT_BY_SETENV'), env.get('REDIRECT_STATUS'), env.get('FOO')), 0)
          return apache.OK
      req.subprocess_env['FOO'] = 'bar'
      req.headers_in['X-Before-Redirect'] = 'kept'
      req.internal_redirect(req.uri + '?target')
      return apache.OK

  def handler(req):
      req.content_type = 'text/plain'
      req.add_common_vars()
      env = req.subprocess_env
      lines = [req.notes.get('hp'), req.notes.get('fixup'), seen(req, 'handler'),
               'env: HTTP_X_ADDED=%s HTTP_X_EARLY=%s HTTP_X_DROP=%s SAW_EARLY=%s' % (
                   env.get('HTTP_X_ADDED'), env.get('HTTP_X_EARLY'), env.get('HTTP_X_DROP'),
                   env.get('SAW_EARLY'))]
      req.write('\\n'.join(lines), 0)
      return apache.OK
`);

const DIR = dedent(`
  <Directory \${CASE}>
    SetHandler mod_python
    PythonHeaderParserHandler rh_mod::headerparser
    PythonFixupHandler rh_mod::fixup
    PythonHandler rh_mod
    RequestHeader set X-Added added
    RequestHeader append Accept text/x-more
    RequestHeader unset X-Drop
    RequestHeader edit User-Agent ^tester TESTER
    RequestHeader edit X-Py python PY
  </Directory>
`);

const cases: CompatCase[] = [
  {
    name: 'requestheader-phases-and-env',
    area: 'tables',
    conf: DIR,
    requests: [
      {
        listener: 'vhost',
        path: '@/x',
        headers: { Accept: 'text/plain', 'X-Drop': 'gone', 'User-Agent': 'tester/1.0' },
        status: 200,
        bodyHas: /X-Py=set by PY[\s\S]*SAW_EARLY=yes/,
      },
    ],
  },
];

const REDIRECT_DIR = dedent(`
  <Directory \${CASE}>
    SetHandler mod_python
    PythonHandler rh_mod::redirector
    SetEnv BY_SETENV yes
  </Directory>
`);

cases.push({
  name: 'requestheader-headers-in-kept-across-internal-redirect',
  area: 'tables',
  conf: REDIRECT_DIR,
  requests: [{ listener: 'vhost', path: '@/x', status: 200, bodyHas: 'X-Before-Redirect=kept' }],
});

export const requestHeaderGroup: CaseGroup = {
  name: 'requestheader',
  conf: dedent(`
    PythonPath "sys.path+['\${SITE}/rh']"
    <IfModule !setenvif_module>
      LoadModule setenvif_module \${MODULES}/mod_setenvif.so
    </IfModule>
    <VirtualHost 127.0.0.1:\${MP_PORT2}>
      ServerName rh.test
      DocumentRoot \${DOCROOT}
      RequestHeader set X-Early early-value early
      SetEnvIf X-Early ^early SAW_EARLY=yes
    </VirtualHost>
  `),
  files: { 'rh/rh_mod.py': RH_MOD },
  cases,
};
