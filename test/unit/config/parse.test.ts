import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { ConfigError } from '../../../src/errors.js';
import { loadConfig } from '../../../src/config/load.js';
import { assertConfigError, load, tree } from './helpers.js';

void test('sections nest and keep their arguments and source lines', async () => {
  const cfg = await load('<Directory "/srv/a b">\n  <Files x.py>\n    PythonDebug On\n  </Files>\n</Directory>');
  const dir = cfg.tree.find((n) => n.name === 'Directory');
  assert.deepEqual(dir?.args, ['/srv/a b']);
  assert.equal(dir?.source.line, 2);
  assert.equal(dir?.children?.[0]?.name, 'Files');
  assert.deepEqual(dir?.children?.[0]?.children?.[0], { name: 'PythonDebug', args: ['On'], source: { file: '/virtual/site.conf', line: 4 } });
});

void test('section nesting errors use httpd wording, file and line', async () => {
  const cases: [string, number, string | RegExp][] = [
    ['<Directory />', 1, '/virtual/site.conf:2: <Directory> was not closed.'],
    ['<Directory />\n</Location>', 2, 'Expected </Directory> but saw </Location>'],
    ['</Directory>', 1, '</Directory> without matching <Directory> section'],
    ['<Directory /x', 1, "<Directory> directive missing closing '>'"],
    ['<IfModule>\n</IfModule>', 1, '<IfModule> directive requires additional arguments'],
    ['<IfModule mod_nothing.c>\n<IfModule x>\n</IfModule>', 1, 'Expected </IfModule> before end of configuration'],
  ];
  for (const [text, line, message] of cases) await assertConfigError(text, { line, message, code: 'MPY_ERR_CONFIG_SYNTAX' });
});

void test('Define sets names for IfDefine and values for ${VAR}; UnDefine removes both', async () => {
  const cfg = await load(
    [
      'Define ROOT /srv',
      'Define FLAG',
      'DocumentRoot ${ROOT}/www',
      '<IfDefine FLAG>',
      '  PythonOption flag yes',
      '</IfDefine>',
      '<IfDefine !FLAG>',
      '  PythonOption flag no',
      '</IfDefine>',
      'UnDefine FLAG',
      '<IfDefine FLAG>',
      '  PythonOption later yes',
      '</IfDefine>',
      '<IfDefine CLI>',
      '  PythonOption cli yes',
      '</IfDefine>',
    ].join('\n'),
    ['CLI'],
  );
  assert.equal(cfg.main.documentRoot, '/srv/www');
  assert.deepEqual(cfg.main.pythonServerOptions, { flag: 'yes', cli: 'yes' });
  assert.ok(cfg.defines.has('CLI'));
});

void test('${VAR} falls back to the environment, and undefined variables warn and stay literal', async () => {
  process.env.MODPY_TEST_VAR = 'fromenv';
  const cfg = await load('PythonOption a ${MODPY_TEST_VAR}\nPythonOption b ${MODPY_UNDEFINED_VAR}');
  assert.deepEqual(cfg.main.pythonServerOptions, { a: 'fromenv', b: '${MODPY_UNDEFINED_VAR}' });
  assert.ok(cfg.warnings.includes('AH00111: Config variable ${MODPY_UNDEFINED_VAR} is not defined'));
});

void test('IfModule knows the modules modpy implements by id and by file name, and LoadModule of others warns', async () => {
  const cfg = await load(
    [
      'LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so',
      'LoadModule python_module /usr/lib/apache2/modules/mod_python.so',
      'LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so',
      '<IfModule mod_python.c>\nPythonOption a 1\n</IfModule>',
      '<IfModule python_module>\nPythonOption b 1\n</IfModule>',
      '<IfModule !mod_rewrite.c>\nPythonOption c 1\n</IfModule>',
      '<IfModule rewrite_module>\nRewriteEngine On\n</IfModule>',
      '<IfModule mpm_event_module>\nPythonOption d 1\n</IfModule>',
      '<IfModule mpm_prefork_module>\nPythonOption e 1\n</IfModule>',
      '<IfModule modpy_module>\nPythonOption f 1\n</IfModule>',
      '<IfModule mod_rewrite.c>\n<IfModule mod_rewrite.c>\nRewriteRule x\n</IfModule>\n</IfModule>',
    ].join('\n'),
  );
  assert.deepEqual(cfg.main.pythonServerOptions, { a: '1', b: '1', c: '1', d: '1', f: '1' });
  assert.equal(cfg.warnings.filter((w) => w.includes('rewrite_module')).length, 1);
  assert.ok(cfg.loadedModules.has('mpm_event_module'));
  assert.ok(!cfg.loadedModules.has('rewrite_module'));
  // Outside <IfModule>, a directive of an absent module is an unknown command.
  await assertConfigError('LoadModule rewrite_module x.so\nRewriteEngine On', {
    line: 2,
    message: "Invalid command 'RewriteEngine', perhaps misspelled or defined by a module not included in the server configuration",
    code: 'MPY_ERR_CONFIG_UNKNOWN_DIRECTIVE',
  });
});

void test('IfVersion compares with httpd 2.4', async () => {
  const cfg = await load(
    [
      '<IfVersion >= 2.4>\nPythonOption ge24 1\n</IfVersion>',
      '<IfVersion < 2.4>\nPythonOption lt24 1\n</IfVersion>',
      '<IfVersion 2.4>\nPythonOption eq24 1\n</IfVersion>',
      '<IfVersion !~ ^2\\.2>\nPythonOption not22 1\n</IfVersion>',
      '<IfVersion > 3>\nPythonOption gt3 1\n</IfVersion>',
    ].join('\n'),
  );
  assert.deepEqual(Object.keys(cfg.main.pythonServerOptions), ['ge24', 'eq24', 'not22']);
});

void test('IfFile, IfDirective and IfSection (httpd 2.4.34+) test files, directives and sections', async () => {
  const root = tree({ 'present.conf': '' });
  const cfg = await load(
    [
      '<IfFile /etc/passwd>\nPythonOption abs 1\n</IfFile>',
      '<IfFile present.conf>\nPythonOption rel 1\n</IfFile>',
      '<IfFile !missing.conf>\nPythonOption notmissing 1\n</IfFile>',
      '<IfFile missing.conf>\nPythonOption missing 1\n</IfFile>',
      '<IfDirective PythonHandler>\nPythonOption dir 1\n</IfDirective>',
      '<IfDirective RewriteRule>\nRewriteRule x\n</IfDirective>',
      '<IfSection VirtualHost>\nPythonOption sec 1\n</IfSection>',
      '<IfSection !Proxy>\nPythonOption noproxy 1\n</IfSection>',
    ].join('\n'),
    undefined,
    root,
  );
  assert.deepEqual(Object.keys(cfg.main.pythonServerOptions), ['abs', 'rel', 'notmissing', 'dir', 'sec', 'noproxy']);
});

void test('Include reads files relative to ServerRoot, wildcards sorted, directories recursively', async () => {
  const root = tree({
    'conf/httpd.conf': 'ServerName inc.test\nInclude conf.d/*.conf\nInclude extra\nIncludeOptional nothing/*.conf\nIncludeOptional missing.conf\n',
    'conf.d/b.conf': 'PythonOption b 2\n',
    'conf.d/a.conf': 'PythonOption a 1\n',
    'conf.d/skip.txt': 'Bogus directive\n',
    'extra/x/one.conf': 'PythonOption x 1\n',
    'sites/s1/site.conf': 'PythonOption s1 1\n',
  });
  const cfg = await loadConfig(join(root, 'conf/httpd.conf'));
  assert.equal(cfg.serverRoot, root, 'ServerRoot defaults to the parent of conf/');
  assert.deepEqual(Object.keys(cfg.main.pythonServerOptions), ['a', 'b', 'x']);
  assert.deepEqual(cfg.files, [join(root, 'conf/httpd.conf'), join(root, 'conf.d/a.conf'), join(root, 'conf.d/b.conf'), join(root, 'extra/x/one.conf')]);
  // Wildcards in directory components.
  writeFileSync(join(root, 'conf/wild.conf'), 'ServerName w\nInclude sites/*/site.conf\n');
  const wild = await loadConfig(join(root, 'conf/wild.conf'));
  assert.deepEqual(wild.main.pythonServerOptions, { s1: '1' });
});

void test('Include errors name the including file and line', async () => {
  const root = tree({
    'main.conf': 'ServerName x\n\nInclude nope/*.conf\n',
    'main2.conf': 'ServerName x\nInclude missing.conf\n',
    'main3.conf': 'ServerName x\nInclude sub.conf\n',
    'sub.conf': '\n\nBogus x\n',
    'loop.conf': 'Include loop.conf\n',
    'nomatch.conf': 'Include *.none\n',
  });
  const cases: [string, number, string, string | RegExp][] = [
    ['main.conf', 3, 'main.conf', `Include/IncludeOptional: Could not open directory ${root}/nope: No such file or directory`],
    ['main2.conf', 2, 'main2.conf', `Could not open configuration file ${root}/missing.conf: No such file or directory`],
    ['main3.conf', 3, 'sub.conf', /^Invalid command 'Bogus'/],
    ['loop.conf', 1, 'loop.conf', 'Exceeded maximum include depth of 128, There appears to be a recursion.'],
    ['nomatch.conf', 1, 'nomatch.conf', `No matches for the wildcard '*.none' in '${root}', failing`],
  ];
  for (const [file, line, inFile, message] of cases) {
    await assert.rejects(loadConfig(join(root, file)), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.file, join(root, inFile));
      assert.equal(err.line, line);
      if (typeof message === 'string') assert.equal(err.message, message);
      else assert.match(err.message, message);
      return true;
    });
  }
});

void test('ServerRoot: the directive wins over -d, which wins over the config file location', async () => {
  const root = tree({ 'site/a.conf': 'ServerName x\nInclude b.conf\n', 'site/b.conf': 'PythonOption b 1\n', 'other/b.conf': 'PythonOption other 1\n', 'other/c.conf': 'PythonOption c 1\n' });
  const plain = await loadConfig(join(root, 'site/a.conf'));
  assert.equal(plain.serverRoot, join(root, 'site'));
  assert.deepEqual(plain.main.pythonServerOptions, { b: '1' });
  const withD = await loadConfig(join(root, 'site/a.conf'), { serverRoot: join(root, 'other') });
  assert.deepEqual(withD.main.pythonServerOptions, { other: '1' });
  writeFileSync(join(root, 'site/d.conf'), `ServerName x\nServerRoot ${join(root, 'other')}\nInclude c.conf\n`);
  const directive = await loadConfig(join(root, 'site/d.conf'), { serverRoot: join(root, 'site') });
  assert.equal(directive.serverRoot, join(root, 'other'));
  assert.deepEqual(directive.main.pythonServerOptions, { c: '1' });
});
