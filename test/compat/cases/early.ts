/**
 * @module compat/cases/early — the phases before the URI is mapped: PythonPostReadRequestHandler,
 * PythonTransHandler, a server-level PythonInitHandler (spec §2.2, §3.4), configured on the
 * name-based vhost of the group's second listener, plus error-log cases.
 */
import type { CaseGroup, CompatCase } from '../lib/case.js';
import { dedent } from './helpers.js';

const EARLY = dedent(`
  from mod_python import apache

  def postreadrequesthandler(req):
      req.notes['prr'] = 'filename=%r phase=%s interp=%s' % (req.filename, req.phase, req.interpreter)
      return apache.OK

  def prr_second(req):
      req.notes['prr2'] = 'ran'
      if req.uri.startswith('/early-prr-done'):
          req.content_type = 'text/plain'
          req.write('answered in post-read-request')
          return apache.DONE
      return apache.DECLINED

  def transhandler(req):
      if req.uri.startswith('/mapped/'):
          req.filename = '\${SITE}/early/files/' + req.uri[len('/mapped/'):]
          return apache.OK
      if req.uri.startswith('/trans-forbidden/'):
          return apache.HTTP_FORBIDDEN
      return apache.DECLINED

  def trans_second(req):
      req.notes['trans2'] = 'ran'
      return apache.DECLINED

  def inithandler(req):
      req.notes['init'] = 'server-level init ran in %s' % req.phase
      return apache.OK

  def show(req):
      req.content_type = 'text/plain'
      keys = ('prr', 'prr2', 'trans2', 'init')
      req.write('\\n'.join('%s: %s' % (k, req.notes.get(k)) for k in keys), 0)
      return apache.OK

  def redirect_once(req):
      if req.prev is None:
          req.internal_redirect(req.uri + '?again')
          return apache.OK
      return show(req)

  def log_phase_error(req):
      req.log_error('tok_early_log uri=%s' % req.uri, apache.APLOG_WARNING)
      return apache.OK
`);

function early(name: string, requests: CompatCase['requests'], extra: Partial<CompatCase> = {}): CompatCase {
  return { name, area: 'phases', requests: requests.map((r) => ({ listener: 'vhost' as const, ...r })), ...extra };
}

const SHOW_DIR = '<Directory ${CASE}>\n  SetHandler mod_python\n  PythonHandler early_mod::show\n</Directory>\n';

const cases: CompatCase[] = [
  early('early-postread-trans-init', [{ path: '@/x', status: 200, bodyHas: 'prr2: ran' }], { conf: SHOW_DIR }),
  early('early-trans-maps-file', [{ path: '/mapped/a.txt', status: 200, bodyHas: 'mapped file' }, { path: '/mapped/none.txt', status: 404 }]),
  early('early-trans-forbidden', [{ path: '/trans-forbidden/x', status: 403 }]),
  early('early-postread-done', [{ path: '/early-prr-done/x', status: 200, bodyHas: 'answered in post-read-request' }]),
  early('early-postread-on-internal-redirect', [{ path: '@/x', status: 200, bodyHas: 'prr: filename=None' }], {
    conf: '<Directory ${CASE}>\n  SetHandler mod_python\n  PythonHandler early_mod::redirect_once\n</Directory>\n',
  }),
  early('early-not-on-main-server', [{ path: '@/x', listener: 'main', status: 200, bodyHas: 'prr: None' }], { conf: SHOW_DIR }),
  early('early-log-handler-at-vhost', [{ path: '@/x', status: 200 }], { conf: SHOW_DIR, compare: { log: 'tok_early_log uri=/early-log-handler-at-vhost/' } }),
];

const logCases: CompatCase[] = [
  {
    name: 'log-traceback-lines',
    area: 'logging',
    conf: '<Directory ${CASE}>\n  SetHandler mod_python\n  PythonHandler log_mod::fails\n  PythonDebug Off\n</Directory>\n',
    requests: [{ path: '@/x', status: 500 }],
    compare: { log: 'tok_trace' },
  },
  {
    name: 'log-levels-per-directory',
    area: 'logging',
    conf: '<Directory ${CASE}>\n  SetHandler mod_python\n  PythonHandler log_mod::levels\n  LogLevel notice\n</Directory>\n',
    requests: [{ path: '@/x', status: 200 }],
    compare: { log: 'tok_dirlevel' },
  },
  {
    name: 'log-apache-log-error-server-arg',
    area: 'logging',
    conf: '<Directory ${CASE}>\n  SetHandler mod_python\n  PythonHandler log_mod::with_server\n</Directory>\n',
    requests: [{ path: '@/x', status: 200 }],
    compare: { log: 'tok_server_arg' },
  },
  {
    name: 'log-multiline-message',
    area: 'logging',
    conf: '<Directory ${CASE}>\n  SetHandler mod_python\n  PythonHandler log_mod::multiline\n</Directory>\n',
    requests: [{ path: '@/x', status: 200 }],
    compare: { log: 'tok_multi' },
  },
];

const LOG_MOD = dedent(`
  from mod_python import apache

  def fails(req):
      raise RuntimeError('tok_trace failure')

  def levels(req):
      req.log_error('tok_dirlevel info hidden', apache.APLOG_INFO)
      req.log_error('tok_dirlevel notice shown', apache.APLOG_NOTICE)
      req.log_error('tok_dirlevel error shown', apache.APLOG_ERR)
      req.write('ok')
      return apache.OK

  def with_server(req):
      apache.log_error('tok_server_arg via vhost server', apache.APLOG_ERR, req.server)
      apache.log_error('tok_server_arg no server', apache.APLOG_NOTICE)
      req.write('ok')
      return apache.OK

  def multiline(req):
      req.log_error('tok_multi first line\\nsecond line')
      req.write('ok')
      return apache.OK
`);

export const earlyGroup: CaseGroup = {
  name: 'early',
  conf: dedent(`
    PythonPath "sys.path+['\${SITE}/early']"
    <VirtualHost 127.0.0.1:\${MP_PORT2}>
      ServerName early.test
      DocumentRoot \${DOCROOT}
      PythonPostReadRequestHandler early_mod early_mod::prr_second
      PythonTransHandler early_mod early_mod::trans_second
      PythonInitHandler early_mod
      PythonLogHandler early_mod::log_phase_error
      PythonDebug On
    </VirtualHost>
  `),
  files: { 'early/early_mod.py': EARLY, 'early/log_mod.py': LOG_MOD, 'early/files/a.txt': 'mapped file content\n' },
  cases: [...cases, ...logCases],
};
