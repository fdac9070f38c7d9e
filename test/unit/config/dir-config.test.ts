import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ConfigError } from '../../../src/errors.js';
import { dirConfigFor, locationConfigFor, selectVirtualHost } from '../../../src/config/resolve.js';
import type { DirConfig } from '../../../src/config/types.js';
import { load, tree } from './helpers.js';

/** The X-Order header values in merge order (headers accumulate parent first). */
function order(c: Readonly<DirConfig>): string[] {
  return (c.headers ?? []).map((h) => h.value as string);
}

function site(root: string): string {
  return `
ServerName main.test
Header append X-Order server
<Directory />
  Header append X-Order dir-root
  AllowOverride None
</Directory>
<Location /app>
  Header append X-Order location
</Location>
<Files "*.py">
  Header append X-Order files-top
</Files>
<DirectoryMatch "^${root}/site/sub">
  Header append X-Order dirmatch
</DirectoryMatch>
<Directory ${root}/site/sub>
  Header append X-Order dir-sub
  <Files page.py>
    Header append X-Order files-in-sub
  </Files>
</Directory>
<Directory ${root}/site>
  Header append X-Order dir-site
  AllowOverride All
</Directory>
<Directory ${root}/*/sub/deeper>
  Header append X-Order dir-wild
</Directory>
<LocationMatch "^/app/.*\\.py$">
  Header append X-Order locationmatch
</LocationMatch>
<VirtualHost *:80>
  ServerName v.test
  <Directory ${root}/site>
    Header append X-Order vhost-dir-site
  </Directory>
</VirtualHost>
`;
}

void test('dirConfigFor merges in Apache order, reading .htaccess where AllowOverride permits', async () => {
  const root = tree({
    'site/.htaccess': 'Header append X-Order htaccess-site\n',
    'site/sub/.htaccess': 'Header append X-Order htaccess-sub\n',
    'site/sub/page.py': '',
    'site/sub/deeper/x.py': '',
    '.htaccess': 'this would fail: AllowOverride None at / keeps it unread\n',
  });
  const cfg = await load(site(root));
  const r = await dirConfigFor(cfg, cfg.main, { uri: '/app/page.py', filename: join(root, 'site/sub/page.py') });
  assert.deepEqual(order(r.config), ['server', 'dir-root', 'dir-site', 'htaccess-site', 'dir-sub', 'htaccess-sub', 'dirmatch', 'files-top', 'files-in-sub', 'location', 'locationmatch']);
  assert.deepEqual(r.htaccessFiles, [join(root, 'site/.htaccess'), join(root, 'site/sub/.htaccess')]);

  const deeper = await dirConfigFor(cfg, cfg.main, { uri: '/x.py', filename: join(root, 'site/sub/deeper/x.py') });
  assert.deepEqual(order(deeper.config), ['server', 'dir-root', 'dir-site', 'htaccess-site', 'dir-sub', 'htaccess-sub', 'dir-wild', 'dirmatch', 'files-top']);

  // A directory as filename walks into the directory itself.
  const dirItself = await dirConfigFor(cfg, cfg.main, { uri: '/s/', filename: join(root, 'site/sub') });
  assert.deepEqual(order(dirItself.config), ['server', 'dir-root', 'dir-site', 'htaccess-site', 'dir-sub', 'htaccess-sub', 'dirmatch']);
});

void test('virtual hosts see the main server\'s sections first, then their own', async () => {
  const root = tree({ 'site/a.txt': '' });
  const cfg = await load(site(root));
  const v = selectVirtualHost(cfg, '127.0.0.1', 80, 'v.test');
  const r = await dirConfigFor(cfg, v, { uri: '/a.txt', filename: join(root, 'site/a.txt') });
  assert.deepEqual(order(r.config), ['server', 'dir-root', 'dir-site', 'vhost-dir-site']);
});

void test('without a filename only server defaults and Location sections apply', async () => {
  const root = tree({});
  const cfg = await load(site(root));
  const r = await dirConfigFor(cfg, cfg.main, { uri: '/app/x.py', filename: null });
  assert.deepEqual(order(r.config), ['server', 'location', 'locationmatch']);
  assert.deepEqual(order(locationConfigFor(cfg.main, '/app')), ['server', 'location']);
  assert.deepEqual(order(locationConfigFor(cfg.main, '/application')), ['server']);
  assert.deepEqual(order(locationConfigFor(cfg.main, '//app//y')), ['server', 'location']);
});

void test('AllowOverride classes gate .htaccess directives (error names the .htaccess file and line)', async () => {
  const root = tree({
    'auth/.htaccess': 'AuthType Basic\nAuthName "Zone"\nRequire valid-user\n',
    'bad/.htaccess': 'AuthType Basic\n\nHeader set X y\n',
    'none/.htaccess': 'Completely Invalid\n',
    'py/.htaccess': 'PythonHandler hmod\nPythonOption k v\n',
    'opts/.htaccess': 'Options +Indexes\n',
    'opts2/.htaccess': 'Options +ExecCGI\n',
  });
  const cfg = await load(`
<Directory ${root}/auth>
  AllowOverride AuthConfig
</Directory>
<Directory ${root}/bad>
  AllowOverride AuthConfig
</Directory>
<Directory ${root}/none>
  AllowOverride None
</Directory>
<Directory ${root}/py>
  AllowOverride Limit
</Directory>
<Directory ${root}/opts>
  AllowOverride Options=Indexes,MultiViews
</Directory>
<Directory ${root}/opts2>
  AllowOverride Options=Indexes
</Directory>
`);
  const auth = await dirConfigFor(cfg, cfg.main, { uri: '/x', filename: join(root, 'auth/x') });
  assert.equal(auth.config.authType, 'Basic');
  assert.equal(auth.config.authName, 'Zone');
  assert.equal(auth.config.require?.[0]?.expr.kind, 'require');

  await assert.rejects(dirConfigFor(cfg, cfg.main, { uri: '/x', filename: join(root, 'bad/x') }), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.message, 'Header not allowed here');
    assert.equal(err.file, join(root, 'bad/.htaccess'));
    assert.equal(err.line, 3);
    return true;
  });

  const none = await dirConfigFor(cfg, cfg.main, { uri: '/x', filename: join(root, 'none/x') });
  assert.deepEqual(none.htaccessFiles, []);

  // mod_python directives are OR_ALL: any override class lets .htaccess use them.
  const py = await dirConfigFor(cfg, cfg.main, { uri: '/x', filename: join(root, 'py/x') });
  assert.deepEqual(py.config.pythonHandlers?.PythonHandler, [{ handler: 'hmod', directory: `${root}/py/`, isLocation: false, silent: false }]);
  assert.equal(py.config.configDirectory, `${root}/py/`);

  const opts = await dirConfigFor(cfg, cfg.main, { uri: '/x', filename: join(root, 'opts/x') });
  assert.equal(opts.config.options?.indexes, true);
  await assert.rejects(dirConfigFor(cfg, cfg.main, { uri: '/x', filename: join(root, 'opts2/x') }), /Option ExecCGI not allowed here/);
});

void test('an edited .htaccess is re-read', async () => {
  const root = tree({ 'd/.htaccess': 'PythonOption v 1\n' });
  const cfg = await load(`<Directory ${root}/d>\nAllowOverride All\n</Directory>`);
  const first = await dirConfigFor(cfg, cfg.main, { uri: '/', filename: join(root, 'd/f') });
  assert.equal(first.config.pythonOptions?.v, '1');
  const { writeFileSync, utimesSync } = await import('node:fs');
  writeFileSync(join(root, 'd/.htaccess'), 'PythonOption v 22\n');
  utimesSync(join(root, 'd/.htaccess'), new Date(), new Date(Date.now() + 5000));
  const second = await dirConfigFor(cfg, cfg.main, { uri: '/', filename: join(root, 'd/f') });
  assert.equal(second.config.pythonOptions?.v, '22');
});

void test('with AllowOverride never set, .htaccess is read and any directive in it is an error (httpd 2.4)', async () => {
  const root = tree({ 'quiet/.htaccess': '# only a comment\n', 'loud/.htaccess': 'PythonOption a 1\n' });
  const cfg = await load('');
  const quiet = await dirConfigFor(cfg, cfg.main, { uri: '/', filename: join(root, 'quiet/f') });
  assert.deepEqual(quiet.htaccessFiles, [join(root, 'quiet/.htaccess')]);
  await assert.rejects(dirConfigFor(cfg, cfg.main, { uri: '/', filename: join(root, 'loud/f') }), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.message, 'PythonOption not allowed here');
    assert.equal(err.file, join(root, 'loud/.htaccess'));
    return true;
  });
});

void test('.htaccess may hold <Files> and <IfModule>, but not Include or server directives', async () => {
  const root = tree({
    'ok/.htaccess': '<IfModule mod_python.c>\nPythonOption mp yes\n</IfModule>\n<Files "*.py">\nPythonHandler only_py\n</Files>\n',
    'inc/.htaccess': 'Include other.conf\n',
    'srv/.htaccess': '\nListen 9999\n',
  });
  const cfg = await load(`<Directory ${root}>\nAllowOverride All\n</Directory>`);
  const py = await dirConfigFor(cfg, cfg.main, { uri: '/', filename: join(root, 'ok/a.py') });
  assert.equal(py.config.pythonOptions?.mp, 'yes');
  assert.deepEqual(py.config.pythonHandlers?.PythonHandler?.map((e) => [e.handler, e.directory]), [['only_py', `${root}/ok/`]]);
  const txt = await dirConfigFor(cfg, cfg.main, { uri: '/', filename: join(root, 'ok/a.txt') });
  assert.equal(txt.config.pythonHandlers, undefined);
  await assert.rejects(dirConfigFor(cfg, cfg.main, { uri: '/', filename: join(root, 'inc/x') }), /^ConfigError: Include not allowed here$|Include not allowed here/);
  await assert.rejects(dirConfigFor(cfg, cfg.main, { uri: '/', filename: join(root, 'srv/x') }), (err: unknown) => err instanceof ConfigError && err.message === 'Listen not allowed here' && err.line === 2);
});
