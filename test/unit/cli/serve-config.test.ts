/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * The configuration `modpy serve` generates: it loads, refuses `.ht*` files, and refuses input
 * that would inject directives (a newline in DIR, a host that is not an address or name).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../../src/cli/args.js';
import { serveConfigText } from '../../../src/cli/serve-config.js';
import { loadConfigFromText } from '../../../src/config/load.js';

describe('serveConfigText', () => {
  it('denies .ht* files the way the stock Apache configuration does', () => {
    const text = serveConfigText('/srv/site', '127.0.0.1', 8000);
    assert.match(text, /^<FilesMatch "\^\\\.ht">\n {4}Require all denied\n<\/FilesMatch>$/m);
  });

  it('produces a configuration that loads, with the FilesMatch pattern intact', async () => {
    const cfg = await loadConfigFromText(serveConfigText('/srv/site', '::1', 8123), { virtualFile: '/srv/site/.modpy-serve.conf', serverRoot: '/srv/site' });
    const json = JSON.stringify(cfg.tree);
    assert.ok(json.includes('^\\\\.ht'), 'the regex keeps its backslash');
    assert.deepEqual(cfg.listen.map((l) => l.port), [8123]);
  });

  it('refuses a directory with a control character and a bad host', () => {
    assert.throws(() => serveConfigText('/srv/x\nPythonImport evil main_interpreter', '127.0.0.1', 8000), (e: unknown) => e instanceof UsageError && /control character/.test(e.message));
    assert.throws(() => serveConfigText('/srv/site', '127.0.0.1\nListen 80', 8000), (e: unknown) => e instanceof UsageError && /--host must be/.test(e.message));
  });

  it('accepts IP addresses and host names as --host', () => {
    for (const host of ['0.0.0.0', '::', '[::1]', 'fe80::1', 'localhost', 'my-box.example.org', 'a1']) {
      assert.match(serveConfigText('/srv/site', host, 8000), /^Listen /m, host);
    }
  });

  it('refuses a --host that is neither, so nothing reaches the generated configuration', () => {
    for (const host of ['127.0.0.1\nPythonImport evil main_interpreter', 'a b', 'x"y', '-bad', 'bad-', '', 'a..b', '[127.0.0.1]', 'host:80', 'x'.repeat(64)]) {
      assert.throws(() => serveConfigText('/srv/site', host, 8000), (e: unknown) => e instanceof UsageError && /--host must be an IP address or a host name, got /.test(e.message), host);
    }
  });

  it('refuses a DIR with control characters', () => {
    for (const dir of ['/srv/site\nPythonImport evil main_interpreter', '/a\rb', '/tab\there', '/nul\u0000', '/del\u007f']) {
      assert.throws(() => serveConfigText(dir, '127.0.0.1', 8000), (e: unknown) => e instanceof UsageError && /directory name contains a control character/.test(e.message), JSON.stringify(dir));
    }
    assert.match(serveConfigText('/srv/dir with spaces/é', '127.0.0.1', 8000), /^DocumentRoot "\/srv\/dir with spaces\/é"$/m);
  });
});

void describe('serve debug pages', () => {
  it('serve shows Python tracebacks (PythonDebug On) only on a loopback host', () => {
  assert.match(serveConfigText('/srv/site', '127.0.0.1', 8000), /PythonDebug On/);
  assert.match(serveConfigText('/srv/site', 'localhost', 8000), /PythonDebug On/);
  assert.match(serveConfigText('/srv/site', '::1', 8000), /PythonDebug On/);
  assert.match(serveConfigText('/srv/site', '[::1]', 8000), /PythonDebug On/);
  assert.match(serveConfigText('/srv/site', 'LocalHost', 8000), /PythonDebug On/);
  assert.match(serveConfigText('/srv/site', '127.8.9.10', 8000), /PythonDebug On/);
  assert.match(serveConfigText('/srv/site', '127.example.org', 8000), /PythonDebug Off/, 'a host name that starts like 127. is not loopback');
  assert.match(serveConfigText('/srv/site', '::', 8000), /PythonDebug Off/);
  assert.match(serveConfigText('/srv/site', '0.0.0.0', 8000), /PythonDebug Off/);
  assert.match(serveConfigText('/srv/site', '192.0.2.7', 8000), /PythonDebug Off/);
  });
});
