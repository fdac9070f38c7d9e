/**
 * @module compat/cases/setenvif — mod_setenvif: SetEnvIf, SetEnvIfNoCase, BrowserMatch and
 * BrowserMatchNoCase at server/vhost level (post_read_request), in <Directory> and .htaccess
 * (header_parser), seen by Python in req.subprocess_env from the phase after they run.
 * Server-level rules sit on the group's vhost, with a vhost-level PythonPostReadRequestHandler
 * and PythonHeaderParserHandler that record what they see.
 */
import type { CaseGroup, CompatCase } from '../lib/case.js';
import { dedent } from './helpers.js';

const SEI_MOD = dedent(`
  from mod_python import apache

  def _sei(req):
      return ' '.join('%s=%s' % (k, v) for k, v in req.subprocess_env.items() if k.startswith('SEI_') or k == 'HTTP_AUTHORIZATION')

  def postreadrequesthandler(req):
      req.notes['prr'] = _sei(req)
      return apache.OK

  def headerparserhandler(req):
      req.notes['hp'] = _sei(req)
      return apache.OK

  def handler(req):
      if req.uri.endswith('/start'):
          req.internal_redirect(req.uri[:-len('start')] + 'tar%67et')
          return apache.OK
      req.content_type = 'text/plain'
      if req.uri.endswith('/target'):
          req.write('hp: %s\\nhandler: %s\\n' % (req.notes.get('hp'), _sei(req)), 0)
          return apache.OK
      req.write('prr: %s\\nhp: %s\\nhandler: %s\\n' % (req.notes.get('prr'), req.notes.get('hp'), _sei(req)), 0)
      return apache.OK
`);

const SHOW = '  SetHandler mod_python\n  PythonHandler sei_mod\n';

function dir(rules: string): string {
  return `<Directory \${CASE}>\n${SHOW}${dedent(rules)
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n')}</Directory>\n`;
}

const BROWSER = { 'User-Agent': 'Mozilla/5.0 (X11; Linux)', 'X-Sei-Token': 'abc-123', 'X-Sei-Re-One': 'first', 'X-Sei-Re-Two': 'second', Authorization: 'Basic dTpw' };

const cases: CompatCase[] = [
  {
    name: 'sei-server-level',
    area: 'config',
    conf: dir(`
      SetEnvIf Request_URI "^/sei-server-level/(.*)$" SEI_DIR_URI=$1
    `),
    requests: [
      { path: '@/a%20b/c?q=1', listener: 'vhost', headers: BROWSER, status: 200 },
      { path: '@/x', method: 'POST', body: 'b', listener: 'vhost', headers: { 'User-Agent': 'CURL/8.1', 'X-Sei-Token': 'ABC' }, status: 200 },
      { path: '@/x', listener: 'vhost', status: 200 },
    ],
  },
  {
    name: 'sei-directory',
    area: 'config',
    conf: dir(`
      SetEnvIf X-Sei-A "^(\\w+)-(\\w+)$" SEI_A1=$1 SEI_A2=$2 SEI_SWAP=$2-$1 SEI_ESC=\\$1 SEI_NOGROUP=[$7]
      SetEnvIf X-Sei-A literal SEI_LIT=$1
      SetEnvIf X-Sei-A lit\\.eral SEI_LIT_ESC
      SetEnvIf X-Sei-Missing ^$ SEI_EMPTY
      SetEnvIf X-Sei-A . SEI_DROP=1 SEI_BLANK= SEI_DUP=1 SEI_DUP=2 sei_dup=3
      SetEnvIf X-Sei-Drop yes !SEI_DROP SEI_BANG=!x
      SetEnvIfNoCase X-Sei-A ^FOO SEI_NOCASE
      SetEnvIf X-Sei-A ^FOO SEI_CASE
      SetEnvIfNoCase x-sei-a FOO-BAR SEI_PLAIN_NOCASE
      SetEnvIf sei_a1 ^foo$ SEI_FROM_ENV=<$0>
      SetEnvIf SEI_CACHE ^$ SEI_CACHE=set
      SetEnvIf SEI_CACHE set SEI_CACHE_SEEN
      SetEnvIf Request_URI "^/sei-directory/(.*)$" SEI_URI=$1
      SetEnvIf ^X-Sei-(A|Drop)$ . SEI_NAME_RE=$0
      BrowserMatch ^Lynx SEI_LYNX
    `),
    requests: [
      { path: '@/a%20b', headers: { 'X-Sei-A': 'foo-bar literal' }, status: 200 },
      { path: '@/x', headers: { 'X-Sei-A': 'foo-bar', 'X-Sei-Drop': 'yes', 'User-Agent': 'Lynx/2.8' }, status: 200 },
      { path: '@/x', headers: { 'X-Sei-A': 'lit.eral' }, status: 200 },
    ],
  },
  {
    name: 'sei-htaccess',
    area: 'config',
    conf: dir(`
      SetEnvIf X-Sei-A . SEI_FROM_DIR=$0
    `),
    files: { 'h/.htaccess': 'SetEnvIf X-Sei-A (.+) SEI_FROM_HTACCESS=$1\nBrowserMatchNoCase LYNX SEI_LYNX_NOCASE\n' },
    requests: [
      { path: '@/h/x', headers: { 'X-Sei-A': 'one', 'User-Agent': 'lynx' }, status: 200 },
      { path: '@/x', headers: { 'X-Sei-A': 'one' }, status: 200 },
    ],
  },
  {
    // httpd runs post_read_request again for an internal redirect: the server-level rules see
    // the new URI (not yet decoded) before the PythonHeaderParserHandler runs; the directory's
    // come after it.
    name: 'sei-internal-redirect',
    area: 'config',
    conf: dir(`
      SetEnvIf Request_URI target$ SEI_REDIR_DIR
    `),
    requests: [{ path: '@/start', listener: 'vhost', status: 200 }],
  },
  {
    name: 'sei-ifmodule',
    area: 'config',
    conf: dir(`
      <IfModule mod_setenvif.c>
        SetEnvIf Request_URI . SEI_IFMODULE_C
      </IfModule>
      <IfModule setenvif_module>
        SetEnvIf Request_URI . SEI_IFMODULE_ID
      </IfModule>
      <IfModule !mod_setenvif.c>
        SetEnv SEI_NOT_LOADED 1
      </IfModule>
    `),
    requests: [{ path: '@/x', status: 200 }],
  },
];

export const setEnvIfGroup: CaseGroup = {
  name: 'setenvif',
  conf: dedent(`
    <IfModule !setenvif_module>
      LoadModule setenvif_module \${MODULES}/mod_setenvif.so
    </IfModule>
    PythonPath "sys.path+['\${SITE}/setenvif']"
    <VirtualHost 127.0.0.1:\${MP_PORT2}>
      ServerName setenvif.test
      DocumentRoot \${DOCROOT}
      PythonPostReadRequestHandler sei_mod
      PythonHeaderParserHandler sei_mod
      SetEnvIf Request_URI "^/sei-server-level/(.*)$" SEI_TAIL=$1 SEI_WHOLE=$0
      SetEnvIf Remote_Addr ^127\\. SEI_LOCAL
      SetEnvIf Server_Addr 127.0.0.1 SEI_SADDR=literal$1
      SetEnvIf Request_Method ^(GET|POST)$ SEI_METHOD=m-$1
      SetEnvIf Request_Protocol ^HTTP/1 SEI_PROTO=$0
      SetEnvIf Remote_Host ^127 SEI_RHOST
      BrowserMatch "^Mozilla/(\\d)" SEI_MOZ=$1
      BrowserMatchNoCase curl SEI_CURL
      SetEnvIfNoCase X-Sei-Token ^ABC SEI_TOKEN
      SetEnvIf ^X-Sei-Re "(.+)" SEI_RE=$1
      SetEnvIf SEI_TOKEN 1 SEI_CHAIN=yes
      SetEnvIf Authorization "(.*)" HTTP_AUTHORIZATION=$1
      SetEnvIf Request_URI "target$" SEI_REDIR_SERVER
      SetEnvIf Request_URI "^/sei-internal-redirect/(.*)$" SEI_REDIR_URI=$1
    </VirtualHost>
  `),
  files: { 'setenvif/sei_mod.py': SEI_MOD },
  cases,
};
