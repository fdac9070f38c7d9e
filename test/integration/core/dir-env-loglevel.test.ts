/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * The per-directory pieces of mod_env and core logging: SetEnv/UnsetEnv/PassEnv reach
 * req.subprocess_env from the fixups on (and the access log's %{VAR}e), a LogLevel inside a
 * section decides for requests there, and configuration warnings reach the error log at start.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLiveServer, type LiveServer } from '../../helpers/live-server.js';

const CONFIG = `
PythonPath "sys.path+['{{ROOT}}/py']"
LogFormat "%U greeting=%{GREETING}e gone=%{GONE}e" envfmt
CustomLog logs/env_log envfmt
SetEnv GONE server-level
PassEnv MODPY_TEST_PASSED MODPY_TEST_NEVER_SET
<Location /env>
  SetHandler mod_python
  PythonHandler dir_env
  SetEnv GREETING hello
  UnsetEnv GONE
</Location>
<Location /early>
  SetHandler mod_python
  PythonHeaderParserHandler dir_env::headerparser
  PythonHandler dir_env::early
  SetEnv GREETING hello
</Location>
<Location /plain>
  SetHandler mod_python
  PythonHandler dir_env
</Location>
<Location /logs>
  SetHandler mod_python
  PythonHandler dir_env::logs
</Location>
<Location /logs/quiet>
  LogLevel crit
</Location>
<Location /logs/loud>
  LogLevel mod_python:debug
</Location>
`;

describe('SetEnv/UnsetEnv/PassEnv, per-directory LogLevel, configuration warnings', () => {
  let srv: LiveServer;
  before(async () => {
    srv = await startLiveServer({
      config: CONFIG,
      env: { MODPY_TEST_PASSED: 'from-env' },
      files: { 'py/dir_env.py': readFileSync(join(import.meta.dirname, 'dir_env.py')) },
    });
  });
  after(async () => {
    await srv?.stop();
  });

  it('puts SetEnv and PassEnv values in req.subprocess_env; UnsetEnv removes an inherited one', async () => {
    assert.equal(await (await fetch(srv.url('/env'))).text(), 'hello|None|from-env');
    assert.equal(await (await fetch(srv.url('/plain'))).text(), 'None|server-level|from-env');
  });

  it('applies them at fixups: a header-parser handler does not see them yet', async () => {
    assert.equal(await (await fetch(srv.url('/early'))).text(), 'None');
  });

  it("shows them to the access log's %{VAR}e", async () => {
    await (await fetch(srv.url('/env'))).arrayBuffer();
    const log = join(srv.root, 'logs/env_log');
    for (let i = 0; i < 50 && !readFileSync(log, 'utf8').includes('/env greeting=hello gone=-'); i++) await new Promise((r) => setTimeout(r, 50));
    assert.match(readFileSync(log, 'utf8'), /^\/env greeting=hello gone=-$/m);
    assert.match(readFileSync(log, 'utf8'), /^\/plain greeting=- gone=server-level$/m);
  });

  it('filters request messages by the LogLevel of their directory', async () => {
    for (const p of ['/logs/default', '/logs/quiet', '/logs/loud']) assert.equal(await (await fetch(srv.url(p))).text(), 'logged');
    // The server says "info": notice passes, debug does not.
    await srv.waitForLog(/dirlevel-notice \/logs\/default/);
    // mod_python:debug adds debug for Python's messages and keeps the server's level otherwise.
    await srv.waitForLog(/\[python:debug\].*dirlevel-debug \/logs\/loud/);
    await srv.waitForLog(/dirlevel-notice \/logs\/loud/);
    const log = srv.errorLog();
    assert.doesNotMatch(log, /dirlevel-debug \/logs\/default/);
    assert.doesNotMatch(log, /dirlevel-\w+ \/logs\/quiet/, 'LogLevel crit silences notice and debug');
  });

  it('writes configuration warnings to the error log at start-up', async () => {
    await srv.waitForLog(/\[core:warn\].* AH01506: PassEnv variable MODPY_TEST_NEVER_SET was undefined/);
  });
});
