import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { configToJSON } from '../../../src/config/json.js';
import { dirConfigFor } from '../../../src/config/resolve.js';
import { load, loadRaw, tree } from './helpers.js';

void test('server defaults: PidFile, ErrorLog, DocumentRoot relative to ServerRoot; httpd\'s LogFormats; limits', async () => {
  const cfg = await load('');
  assert.equal(cfg.pidFile, '/virtual/logs/httpd.pid');
  assert.equal(cfg.main.errorLog, '/virtual/logs/error_log');
  assert.equal(cfg.main.documentRoot, '/virtual/htdocs');
  assert.equal(cfg.logFormats.combined, '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"');
  assert.equal(cfg.logFormats.common, '%h %l %u %t "%r" %>s %b');
  assert.deepEqual(
    [cfg.main.timeout, cfg.main.keepAlive, cfg.main.keepAliveTimeout, cfg.main.maxKeepAliveRequests, cfg.main.limitRequestLine, cfg.main.logLevel],
    [60, true, 5, 100, 8190, 'warn'],
  );
  assert.deepEqual(cfg.main.dirDefaults.options?.followSymLinks, true);
  assert.equal(cfg.main.dirDefaults.allowOverride, undefined, 'unset, not None: httpd still reads .htaccess then');
  assert.equal(cfg.serverTokens, 'Full');
  assert.ok(cfg.mimeTypes.get('.html')?.startsWith('text/html'));
});

void test('without ServerName the host name is used, with httpd\'s AH00558 warning', async () => {
  const cfg = await loadRaw('Listen 8080');
  assert.ok(cfg.main.serverName);
  assert.ok(cfg.warnings.some((w) => w.startsWith('AH00558')));
});

void test('virtual hosts inherit what they do not set, and keep what they set', async () => {
  const cfg = await load(`
ServerName main.test:8443
ServerAdmin admin@main.test
DocumentRoot /srv/main
ErrorLog /var/log/main_error
LogLevel info mod_python:debug
Timeout 30
KeepAliveTimeout 500ms
LimitRequestFields 50
CustomLog /var/log/main_access combined
Alias /static /srv/static
PythonDebug On
PythonOption shared main
PythonOption mainonly 1
PythonPath "sys.path+['/lib']"
<VirtualHost *:80>
  ServerName a.test
  DocumentRoot /srv/a
  PythonOption shared a
  Alias /a /srv/a-alias
  LogLevel error
</VirtualHost>
<VirtualHost *:80>
  CustomLog /var/log/b_access common
</VirtualHost>
`);
  const [a, b] = cfg.vhosts;
  assert.ok(a && b);
  assert.equal(a.serverName, 'a.test');
  assert.equal(a.serverNamePort, undefined);
  assert.equal(cfg.main.serverNamePort, 8443);
  assert.deepEqual([a.documentRoot, a.serverAdmin, a.errorLog, a.logLevel, a.timeout, a.keepAliveTimeout, a.limitRequestFields], ['/srv/a', 'admin@main.test', '/var/log/main_error', 'error', 30, 0.5, 50]);
  assert.equal(cfg.main.logLevel, 'info mod_python:debug');
  assert.deepEqual(a.customLogs.map((l) => [l.target, l.format]), [['/var/log/main_access', cfg.logFormats.combined]]);
  assert.deepEqual(b.customLogs.map((l) => [l.target, l.format]), [['/var/log/b_access', cfg.logFormats.common]]);
  assert.equal(b.serverName, 'main.test', 'a vhost without ServerName takes the main server\'s');
  assert.deepEqual(a.aliases.map((x) => x.from), ['/a', '/static'], 'vhost aliases first, then the main server\'s');
  assert.deepEqual(a.pythonServerOptions, { shared: 'a', mainonly: '1' });
  assert.deepEqual(a.pythonServerDirectives, { PythonDebug: '1', PythonPath: "sys.path+['/lib']" });
  assert.deepEqual(a.dirDefaults.pythonOptions, { shared: 'a', mainonly: '1' });
  assert.equal(a.dirDefaults.options?.followSymLinks, true, 'vhost dirDefaults = merge(main dirDefaults, vhost)');
});

void test('mod_python scalars are stored as get_config shows them; PythonInterpPerDirectory stays off the server table', async () => {
  const cfg = await load('PythonDebug On\nPythonAutoReload Off\nPythonInterpPerDirectory On\nPythonInterpPerDirective off\nPythonEnablePdb ON\nPythonInterpreter x\nPythonOption k\nPythonOption e ""\nPythonOptimize On');
  assert.deepEqual(cfg.main.dirDefaults.pythonDirectives, {
    PythonDebug: '1', PythonAutoReload: '0', PythonInterpPerDirectory: '1', PythonInterpPerDirective: '0', PythonEnablePdb: '1', PythonInterpreter: 'x',
  });
  assert.deepEqual(cfg.main.pythonServerDirectives, { PythonDebug: '1', PythonAutoReload: '0', PythonInterpPerDirective: '0', PythonEnablePdb: '1', PythonInterpreter: 'x' });
  assert.deepEqual(cfg.main.pythonServerOptions, { k: '', e: '' });
  assert.equal(cfg.pythonOptimize, true);
});

void test('PythonImport: main server and virtual hosts, in configuration order', async () => {
  const cfg = await load('PythonImport first main_interpreter\n<VirtualHost *:80>\nServerName v.test\nPythonImport second v.test\n</VirtualHost>\nPythonImport third::init main_interpreter');
  assert.deepEqual(cfg.pythonImports?.map((i) => [i.module, i.interpreter, i.source.line]), [
    ['first', 'main_interpreter', 1],
    ['second', 'v.test', 4],
    ['third::init', 'main_interpreter', 6],
  ]);
  assert.deepEqual(cfg.main.pythonImports.map((i) => i.module), ['first', 'third::init']);
  assert.deepEqual(cfg.vhosts[0]?.pythonImports.map((i) => i.module), ['second']);
});

void test('filters, connection handler and handler directives land where the pipeline reads them', async () => {
  const cfg = await load('PythonConnectionHandler echo::serve\nPythonOutputFilter upper::out UPPER\nPythonInputFilter inmod\n<Directory /srv>\nSetOutputFilter UPPER;OTHER\nAddOutputFilter UPPER .txt\n</Directory>');
  assert.deepEqual(cfg.main.pythonConnectionHandler, { handler: 'echo::serve', directory: null, isLocation: false, silent: false });
  assert.deepEqual(cfg.main.dirDefaults.pythonOutputFilters, { UPPER: { name: 'UPPER', handler: 'upper::out', directory: null, isInput: false } });
  assert.deepEqual(cfg.main.dirDefaults.pythonInputFilters, { inmod: { name: 'inmod', handler: 'inmod', directory: null, isInput: true } });
  const dir = cfg.main.sections[0]?.config;
  assert.deepEqual(dir?.setOutputFilters, ['UPPER', 'OTHER']);
  assert.deepEqual(dir?.addOutputFilters, { '.txt': ['UPPER'] });
});

void test('pool settings: defaults, ModpyPoolDefaults, ModpyPool per interpreter', async () => {
  const saved = process.env.MODPY_PYTHON;
  delete process.env.MODPY_PYTHON;
  try {
    const plain = await load('');
    assert.deepEqual(plain.poolDefaults, {
      python: 'python3', minProcesses: 2, maxProcesses: 2, idleTimeoutMs: 300000, maxRequests: 0, maxRequestsJitter: 0, maxMemoryMiB: 0,
      requestTimeoutMs: 300000, graceMs: 5000, startupTimeoutMs: 30000, queueLimit: 1024, pipeline: 8, directWriteMin: 262144, spinUs: 0, env: {},
    });
    assert.equal(plain.gracefulShutdownTimeoutMs, 30000);
    const cfg = await load('ModpyPoolDefaults python=/usr/bin/python3 processes=1-4 request-timeout=2.5 env=A=1 env=B=x=y\nModpyPool app.test processes=3 max-memory=256 queue=0 pipeline=1 grace=1 direct-write=0 spin=200\nModpyPool app.test max-requests=100 max-requests-jitter=10 idle-timeout=60 startup-timeout=10\nModpyGracefulShutdownTimeout 7');
    assert.equal(cfg.poolDefaults.python, '/usr/bin/python3');
    assert.deepEqual([cfg.poolDefaults.minProcesses, cfg.poolDefaults.maxProcesses, cfg.poolDefaults.requestTimeoutMs], [1, 4, 2500]);
    assert.deepEqual(cfg.poolDefaults.env, { A: '1', B: 'x=y' });
    assert.deepEqual(cfg.pools['app.test'], { minProcesses: 3, maxProcesses: 3, maxMemoryMiB: 256, queueLimit: 0, pipeline: 1, directWriteMin: 0, spinUs: 200, graceMs: 1000, maxRequests: 100, maxRequestsJitter: 10, idleTimeoutMs: 60000, startupTimeoutMs: 10000 });
    assert.equal(cfg.gracefulShutdownTimeoutMs, 7000);
    process.env.MODPY_PYTHON = '/opt/py/bin/python';
    assert.equal((await load('')).poolDefaults.python, '/opt/py/bin/python');
  } finally {
    if (saved === undefined) delete process.env.MODPY_PYTHON;
    else process.env.MODPY_PYTHON = saved;
  }
});

void test('Listen forms, including IPv6 and protocol', async () => {
  const cfg = await load('Listen 8080\nListen 127.0.0.1:8081\nListen [::1]:8082 http\nListen 0.0.0.0:8083');
  assert.deepEqual(cfg.listen.map((l) => [l.address, l.port, l.protocol]), [[null, 8080, undefined], ['127.0.0.1', 8081, undefined], ['::1', 8082, 'http'], ['0.0.0.0', 8083, undefined]]);
});

void test('Options: absolute lists set every option, relative ones merge with the parent', async () => {
  const cfg = await load('Options Indexes\n<Directory /a>\nOptions +ExecCGI -Indexes\n</Directory>\n<Directory /b>\nOptions All\n</Directory>\n<Directory /c>\nOptions None\nOptions +MultiViews\n</Directory>');
  assert.deepEqual(cfg.main.dirDefaults.options, { indexes: true, followSymLinks: false, symLinksIfOwnerMatch: false, execCGI: false, includes: false, includesNoExec: false, multiViews: false });
  const [a, b, c] = cfg.main.sections.map((s) => s.config.options);
  assert.deepEqual(a, { execCGI: true, indexes: false });
  assert.deepEqual(b, { indexes: true, followSymLinks: true, symLinksIfOwnerMatch: true, execCGI: true, includes: true, includesNoExec: false, multiViews: false });
  assert.equal(c?.multiViews, true);
  assert.equal(c?.indexes, false);
});

void test('mod_alias, mod_mime, ErrorDocument, Header, env and auth directives are recorded', async () => {
  const cfg = await load(`
Redirect permanent /old http://x.test/new
Redirect gone /gone
RedirectMatch 303 ^/m(.*) /n$1
AliasMatch ^/im/(.*)$ /srv/img/$1
AddHandler mod_python .PY py
AddType text/x-thing .thing
ErrorDocument 404 /missing.html
ErrorDocument 500 "Something broke"
ErrorDocument 403 http://elsewhere.test/denied
Header always set X-A "1 2"
Header edit* X-B ^a b env=!NOPE
SetEnv A 1
UnsetEnv B
AddDefaultCharset utf-8
<Directory /srv>
  AuthType Basic
  AuthName "Private zone"
  AuthUserFile conf/htpasswd
  <Limit POST PUT>
    Require valid-user
  </Limit>
  <RequireAll>
    Require ip 10.0.0.0/8
    Require not env blocked
  </RequireAll>
  Redirect /srv-old /srv-new
</Directory>
`);
  assert.deepEqual(cfg.main.redirects.map((r) => [r.kind, r.status, r.from, r.to]), [['redirect', 301, '/old', 'http://x.test/new'], ['redirect', 410, '/gone', null], ['redirectmatch', 303, '^/m(.*)', '/n$1']]);
  assert.ok(cfg.main.redirects[2]?.regex?.test('/mx'));
  assert.deepEqual(cfg.main.aliases.map((a) => [a.kind, a.to]), [['aliasmatch', '/srv/img/$1']]);
  const d = cfg.main.dirDefaults;
  assert.equal(d.addHandlers?.['.py'], 'mod_python');
  assert.equal(d.addTypes?.['.thing'], 'text/x-thing');
  assert.deepEqual(d.errorDocuments, { 404: '/missing.html', 500: 'Something broke', 403: 'http://elsewhere.test/denied' });
  assert.deepEqual(d.headers?.map((h) => [h.action, h.name, h.value, h.condition, h.global, h.envCondition]), [
    ['set', 'X-A', '1 2', 'always', undefined, undefined],
    ['edit', 'X-B', 'b', 'onsuccess', true, { name: 'NOPE', negated: true }],
  ]);
  assert.deepEqual(d.env, { A: '1', B: null });
  assert.equal(d.addDefaultCharset, 'utf-8');
  const sec = cfg.main.sections[0]?.config;
  assert.equal(sec?.authType, 'Basic');
  assert.equal(sec?.authName, 'Private zone');
  assert.equal(sec?.authUserFile, '/virtual/conf/htpasswd');
  assert.deepEqual(sec?.require?.map((r) => [r.methods, r.expr.kind]), [[['POST', 'PUT'], 'require'], [null, 'all']]);
  assert.deepEqual(sec?.redirects?.map((r) => r.from), ['/srv-old']);
});

void test('Order/Allow/Deny become Require trees', async () => {
  const cfg = await load(`
<Directory /a>
  Order allow,deny
  Allow from all
</Directory>
<Directory /b>
  Order Deny,Allow
  Deny from all
  Allow from 127.0.0.1 env=trusted
</Directory>
<Directory /c>
  Order allow,deny
</Directory>
<Directory /d>
  Order Allow,Deny
  Allow from example.com env=!blocked
  Deny from 10.0.0.1
</Directory>
`);
  const plain = (v: unknown) => JSON.parse(JSON.stringify(v, (k, x) => (k === 'source' ? undefined : x)));
  const [a, b, c, d] = cfg.main.sections.map((s) => plain(s.config.require));
  const req = (provider: string, args: string[], negated = false) => ({ kind: 'require', negated, provider, args });
  const granted = req('all', ['granted']);
  const notDenied = (...denies: unknown[]) => ({ kind: 'all', children: [granted, { kind: 'none', children: denies }] });
  assert.deepEqual(a, [{ methods: null, except: false, expr: granted }]);
  assert.deepEqual(b, [{ methods: null, except: false, expr: { kind: 'any', children: [{ kind: 'any', children: [req('ip', ['127.0.0.1']), req('env', ['trusted'])] }, notDenied(granted)] } }]);
  assert.deepEqual(c, [{ methods: null, except: false, expr: req('all', ['denied']) }]);
  assert.deepEqual(d, [{ methods: null, except: false, expr: { kind: 'all', children: [{ kind: 'any', children: [req('host', ['example.com']), { kind: 'all', children: [granted, req('env', ['blocked'], true)] }] }, notDenied(req('ip', ['10.0.0.1']))] } }]);
});

void test('Allow/Deny combine with inherited Require lines per Satisfy, as httpd 2.4 (verified)', async () => {
  const root = tree({ 'site/sub/f': '', 'site/any/f': '', 'site/own/f': '', 'site/plain/f': '' });
  const cfg = await load(`
<Directory ${root}/site>
  AllowOverride None
  Require all denied
</Directory>
<Directory ${root}/site/sub>
  Order allow,deny
  Allow from all
</Directory>
<Directory ${root}/site/any>
  Order allow,deny
  Allow from all
  Satisfy Any
</Directory>
<Directory ${root}/site/own>
  Require all granted
</Directory>
`);
  const plain = (v: unknown) => JSON.parse(JSON.stringify(v, (k, x) => (k === 'source' ? undefined : x)));
  const granted = { kind: 'require', negated: false, provider: 'all', args: ['granted'] };
  const denied = { kind: 'require', negated: false, provider: 'all', args: ['denied'] };
  const at = async (d: string) => plain((await dirConfigFor(cfg, cfg.main, { uri: '/', filename: join(root, `site/${d}/f`) })).config.require);
  // httpd answers 403 here: the inherited "Require all denied" AND the section's Allow.
  assert.deepEqual(await at('sub'), [{ methods: null, except: false, expr: { kind: 'all', children: [denied, granted] } }]);
  assert.deepEqual(await at('any'), [{ methods: null, except: false, expr: { kind: 'any', children: [denied, granted] } }]);
  assert.deepEqual(await at('own'), [{ methods: null, except: false, expr: granted }]);
  assert.deepEqual(await at('plain'), [{ methods: null, except: false, expr: denied }]);
});

void test('configToJSON is plain JSON (sets, maps and regexps converted)', async () => {
  const cfg = await load('<Directory /srv>\nAllowOverride AuthConfig\n<Files x>\nPythonDebug On\n</Files>\n</Directory>\n<LocationMatch ^/a>\n</LocationMatch>');
  const json = JSON.parse(JSON.stringify(configToJSON(cfg))) as { main: { sections: { within?: string; regex?: string; config: { allowOverride?: unknown[] } }[] }; mimeTypes: { count: number } };
  assert.equal(json.main.sections[1]?.within, 'directory /srv/');
  assert.equal(json.main.sections[2]?.regex, '^\\/a');
  assert.deepEqual(json.main.sections[0]?.config.allowOverride, ['AuthConfig']);
  assert.ok(json.mimeTypes.count > 100);
});

void test('httpd 2.2 leftovers: NameVirtualHost is accepted with httpd\'s warning', async () => {
  const cfg = await load('NameVirtualHost *:80\n<VirtualHost *:80>\nServerName a\n</VirtualHost>');
  assert.ok(cfg.warnings.some((w) => w.startsWith('AH00548: NameVirtualHost has no effect')));
});

void test('PCRE inline flags like (?i) become RegExp flags', async () => {
  const cfg = await load('<FilesMatch "(?i)\\.(gif|jpe?g)$">\n</FilesMatch>\nRedirectMatch (?i)^/OLD /new');
  assert.ok(cfg.main.sections[0]?.regex?.test('A.JPG'));
  assert.ok(cfg.main.redirects[0]?.regex?.test('/old'));
});

void test('LogLevel in a section is a per-directory level; at server level it is the server\'s', async () => {
  const cfg = await load('LogLevel warn\n<Directory /srv>\nLogLevel notice mod_python:debug\n</Directory>');
  assert.equal(cfg.main.logLevel, 'warn');
  assert.equal(cfg.main.dirDefaults.logLevel, undefined);
  assert.equal(cfg.main.sections[0]?.config.logLevel, 'notice mod_python:debug');
});
