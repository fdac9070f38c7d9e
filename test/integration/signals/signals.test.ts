/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * Signals: SIGHUP swaps in a re-read configuration without dropping a request (a slow Python
 * request started before it finishes); a broken configuration on SIGHUP keeps the old one
 * serving and says why; SIGUSR2 reopens the logs; SIGTERM drains: the request in flight
 * completes, then the server exits 0.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildConfigText, startLiveServer, type LiveServer } from '../../helpers/live-server.js';

const config = (aliasTarget: string) => `
Alias /which {{ROOT}}/${aliasTarget}
PythonPath "sys.path+['{{ROOT}}/py']"
<Location /slow>
  SetHandler mod_python
  PythonHandler slow
</Location>
`;

describe('signals', () => {
  let srv: LiveServer;
  before(async () => {
    srv = await startLiveServer({
      config: config('one'),
      files: { 'one/v.txt': 'one', 'two/v.txt': 'two', 'py/slow.py': readFileSync(join(import.meta.dirname, '..', '..', 'helpers', 'handlers', 'slow.py')) },
    });
  });
  after(async () => {
    await srv?.stop();
  });

  const rewrite = (text: string) => writeFile(srv.configFile, buildConfigText(text, srv.root, srv.ports));
  const count = (re: RegExp) => (srv.errorLog().match(new RegExp(re.source, 'g')) ?? []).length;
  /** Polls the error log until `re` occurs at least `n` times (10 s bound, then fails with the log). */
  const waitForCount = async (re: RegExp, n: number) => {
    const end = Date.now() + 10_000;
    while (count(re) < n) {
      if (Date.now() > end) assert.fail(`${re} did not occur ${n} times:\n${srv.errorLog()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  it('SIGHUP re-reads the configuration and finishes the request in flight', async () => {
    assert.equal(await (await fetch(srv.url('/which/v.txt'))).text(), 'one');
    assert.equal(await (await fetch(srv.url('/slow?0'), { signal: AbortSignal.timeout(10_000) })).text(), 'slept', 'the pool is warm');
    const slow = fetch(srv.url('/slow?0.8'), { signal: AbortSignal.timeout(10_000) }).then(async (r) => [r.status, await r.text()]);
    await srv.waitForFile('py/started-0.8'); // the request is running in a worker
    await rewrite(config('two'));
    const reloadedBefore = count(/MPY0007: configuration reloaded/);
    srv.signal('SIGHUP');
    await waitForCount(/MPY0007: configuration reloaded/, reloadedBefore + 1);
    assert.equal(await (await fetch(srv.url('/which/v.txt'))).text(), 'two', 'new requests use the new configuration');
    assert.deepEqual(await slow, [200, 'slept'], 'the request running during the reload completed');
    assert.deepEqual(await (await fetch(srv.url('/slow?0'), { signal: AbortSignal.timeout(10_000) })).text(), 'slept', 'Python still answers after the workers were rolled');
  });

  it('SIGHUP with a broken configuration keeps the old one serving and logs why', async () => {
    await rewrite(`${config('one')}\nThisIsNotADirective x\n`);
    srv.signal('SIGHUP');
    await srv.waitForLog(/MPY0008: configuration reload failed, keeping the running configuration: AH00526: Syntax error on line \d+ of .*httpd\.conf/);
    assert.equal(await (await fetch(srv.url('/which/v.txt'))).text(), 'two', 'the previous configuration still answers');
  });

  it('SIGUSR2 reopens the logs: later lines go to the new file', async () => {
    const rotated = join(srv.root, 'logs', 'error_log.1');
    await rename(join(srv.root, 'logs', 'error_log'), rotated);
    srv.signal('SIGUSR2');
    await srv.waitForLog(/MPY0026: log files reopened after SIGUSR2/);
    assert.doesNotMatch(srv.errorLog(), /AH00489/, 'the new file starts empty of the old lines');
    // A line the server writes after the reopen (from a Python request) lands in the new file.
    assert.equal(await (await fetch(srv.url('/slow?0.01'), { signal: AbortSignal.timeout(10_000) })).text(), 'slept');
    await srv.waitForLog(/slow handler started: 0\.01/);
    assert.doesNotMatch(readFileSync(rotated, 'utf8'), /slow handler started: 0\.01/, 'nothing new is written to the renamed file');
  });

  it('SIGTERM lets the request in flight finish, then exits 0', async () => {
    // A client that gave up on its request must not hold the shutdown back.
    const gaveUp = fetch(srv.url('/slow?0.4'), { signal: AbortSignal.timeout(100) }).catch(() => 'aborted');
    const slow = fetch(srv.url('/slow?0.6'), { signal: AbortSignal.timeout(10_000) }).then(async (r) => [r.status, await r.text()]);
    await srv.waitForFile('py/started-0.6'); // in flight when the signal arrives
    srv.signal('SIGTERM');
    assert.deepEqual(await slow, [200, 'slept']);
    assert.equal(await gaveUp, 'aborted');
    const started = Date.now();
    assert.equal(await srv.exited(), 0);
    assert.ok(Date.now() - started < 5000, 'the server exits promptly after the last request');
    await assert.rejects(fetch(srv.url('/which/v.txt')), 'nothing listens any more');
    await srv.waitForLog(/MPY0003: caught SIGTERM, shutting down/);
    assert.match(srv.errorLog(), /MPY0004: shutdown complete after \d+ ms/);
  });
});
