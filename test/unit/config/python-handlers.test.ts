import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileExtension, handlersFor, resolveEntryDirectory } from '../../../src/config/handlers.js';
import { selectInterpreterName } from '../../../src/config/interpreter.js';
import { dirConfigFor, locationConfigFor } from '../../../src/config/resolve.js';
import { PHASES } from '../../../src/config/directives/python.js';
import { load, tree } from './helpers.js';

void test('the extension is the text from the first dot of the last path component', () => {
  const cases: [string | null, string | null][] = [
    ['/a/b/x.py', '.py'],
    ['/a/b/a.tar.gz', '.tar.gz'],
    ['/a.d/b/noext', null],
    ['/a/b/.hidden', '.hidden'],
    [null, null],
  ];
  for (const [f, e] of cases) assert.equal(fileExtension(f), e, String(f));
});

void test('handlersFor prefers the "Phase.ext" list and reports the extension it used', async () => {
  const cfg = await load('<Directory /srv>\nPythonHandler a b | .py .psp\nPythonHandler c\nPythonHandler d\n</Directory>');
  const { config } = await dirConfigFor(cfg, cfg.main, { uri: '/', filename: '/srv/x.py', isDirectory: false });
  const names = (r: ReturnType<typeof handlersFor>) => r.entries.map((e) => e.handler);
  const py = handlersFor(config, 'PythonHandler', '/srv/x.py');
  assert.deepEqual([names(py), py.extension], [['a', 'b'], '.py']);
  const psp = handlersFor(config, 'PythonHandler', '/srv/x.psp');
  assert.deepEqual([names(psp), psp.extension], [['a', 'b'], '.psp']);
  // Stacking: repeated directives in one section append.
  const html = handlersFor(config, 'PythonHandler', '/srv/x.html');
  assert.deepEqual([names(html), html.extension], [['c', 'd'], null]);
  assert.deepEqual(handlersFor(config, 'PythonFixupHandler', '/srv/x.py'), { entries: [], extension: null });
});

void test('handler lists are replaced, not stacked, across sections', async () => {
  const cfg = await load('PythonHandler top\nPythonFixupHandler fix\n<Directory /srv>\nPythonHandler inner\n</Directory>');
  const { config } = await dirConfigFor(cfg, cfg.main, { uri: '/', filename: '/srv/x', isDirectory: false });
  assert.deepEqual(handlersFor(config, 'PythonHandler', '/srv/x').entries.map((e) => e.handler), ['inner']);
  assert.deepEqual(handlersFor(config, 'PythonFixupHandler', '/srv/x').entries.map((e) => e.handler), ['fix']);
});

void test('PythonHandlerModule registers a silent entry for all twelve phases', async () => {
  const cfg = await load('<Location /m>\nPythonHandlerModule mymod\n</Location>');
  const config = locationConfigFor(cfg.main, '/m');
  for (const phase of PHASES) {
    assert.deepEqual(handlersFor(config, phase, null).entries, [{ handler: 'mymod', directory: '/m', isLocation: true, silent: true }], phase);
  }
});

void test('the directory recorded per entry follows spec §3.3', async () => {
  const root = tree({ 'www/sub/f.py': '' });
  const cfg = await load(`
PythonHandler server_level
<Directory ${root}/www>
  <Files f.py>
    PythonHandler in_files
  </Files>
</Directory>
<Directory ${root}/www/./sub>
  PythonFixupHandler dir_entry
</Directory>
<Location /loc>
  PythonHandler loc_entry
</Location>
<DirectoryMatch "^${root}/w[a-z]+/">
  PythonLogHandler regex_entry
</DirectoryMatch>
<Directory "${root}/*/sub">
  PythonAccessHandler wild_entry
</Directory>
`);
  const server = handlersFor(cfg.main.dirDefaults, 'PythonHandler', null).entries[0];
  assert.deepEqual(server, { handler: 'server_level', directory: null, isLocation: false, silent: false });
  const file = join(root, 'www/sub/f.py');
  const { config } = await dirConfigFor(cfg, cfg.main, { uri: '/x', filename: file });
  assert.equal(handlersFor(config, 'PythonHandler', file).entries[0]?.directory, `${root}/www/`, '<Files> is skipped: the enclosing Directory counts');
  assert.equal(handlersFor(config, 'PythonFixupHandler', file).entries[0]?.directory, `${root}/www/sub/`, 'canonical path with trailing slash');
  const regex = handlersFor(config, 'PythonLogHandler', file).entries[0];
  assert.ok(regex?.directoryPattern);
  assert.equal(resolveEntryDirectory(regex, file).directory, `${root}/www/`, 'regex: shortest matching prefix');
  const wild = handlersFor(config, 'PythonAccessHandler', file).entries[0];
  assert.ok(wild);
  assert.equal(resolveEntryDirectory(wild, file).directory, `${root}/www/sub/`);
  const loc = handlersFor(locationConfigFor(cfg.main, '/loc/x'), 'PythonHandler', null).entries[0];
  assert.deepEqual(loc, { handler: 'loc_entry', directory: '/loc', isLocation: true, silent: false });
});

void test('interpreter names follow spec §2.4', async () => {
  const root = tree({ 'app/sub/page.py': '', 'app/sub/dir/': null });
  const cfg = await load(`
ServerName 127.0.0.1
<Directory ${root}/app>
  PythonHandler h
</Directory>
<Directory ${root}/forced>
  PythonInterpreter forced_name
  PythonInterpPerDirectory On
</Directory>
<Directory ${root}/perdir>
  PythonInterpPerDirectory On
  PythonHandler h
</Directory>
<Directory ${root}/app/sub>
  PythonInterpPerDirective On
</Directory>
<Location /loc>
  PythonInterpPerDirectory On
  PythonHandler h
</Location>
<Location /locdirective>
  PythonInterpPerDirective On
  PythonHandler h
</Location>
<VirtualHost *:80>
  ServerName vhost.test
</VirtualHost>
`);
  const at = async (filename: string) => (await dirConfigFor(cfg, cfg.main, { uri: '/', filename })).config;
  const page = join(root, 'app/sub/page.py');
  // Rule 4: the ServerName.
  const plain = await at(join(root, 'app/x.py'));
  assert.equal(selectInterpreterName(plain, cfg.main, join(root, 'app/x.py'), handlersFor(plain, 'PythonHandler', null).entries[0]), '127.0.0.1');
  assert.equal(selectInterpreterName(plain, cfg.vhosts[0]!, join(root, 'app/x.py'), undefined), 'vhost.test');
  // Rule 1 beats rule 2.
  assert.equal(selectInterpreterName(await at(join(root, 'forced/x.py')), cfg.main, join(root, 'forced/x.py'), undefined), 'forced_name');
  // Rule 2: the file's directory, or the directory itself, or main_interpreter without a filename.
  const perdir = await at(join(root, 'perdir/x.py'));
  assert.equal(selectInterpreterName(perdir, cfg.main, join(root, 'perdir/x.py'), undefined, false), `${root}/perdir/`);
  assert.equal(selectInterpreterName(perdir, cfg.main, join(root, 'app/sub/dir'), undefined), `${root}/app/sub/dir/`);
  assert.equal(selectInterpreterName(perdir, cfg.main, null, undefined), 'main_interpreter');
  assert.equal(selectInterpreterName(locationConfigFor(cfg.main, '/loc'), cfg.main, null, undefined), 'main_interpreter');
  // Rule 3: the directory recorded with the first handler entry.
  const directive = await at(page);
  const first = handlersFor(directive, 'PythonHandler', page).entries[0];
  assert.equal(selectInterpreterName(directive, cfg.main, page, first), `${root}/app/`);
  assert.equal(selectInterpreterName(directive, cfg.main, page, undefined), 'main_interpreter');
  const locDirective = locationConfigFor(cfg.main, '/locdirective');
  assert.equal(selectInterpreterName(locDirective, cfg.main, null, handlersFor(locDirective, 'PythonHandler', null).entries[0]), '/locdirective');
});
