/**
 * The PidFile on stop: removed when it names this server, left alone when another server on the
 * same configuration has written its own pid there meanwhile (started while this one drained).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLiveServer } from '../../helpers/live-server.js';

void test('a stopping server removes its own PidFile', async (t) => {
  // keepRoot: the PidFile is read after stop(); the directory goes when the test ends.
  const srv = await startLiveServer({ config: '', keepRoot: true });
  t.after(() => rmSync(srv.root, { recursive: true, force: true }));
  const pidFile = join(srv.root, 'logs', 'modpy.pid');
  assert.equal(readFileSync(pidFile, 'utf8').trim(), String(srv.pid));
  await srv.stop();
  assert.equal(existsSync(pidFile), false);
});

void test('a stopping server leaves a PidFile that names another process', async (t) => {
  const srv = await startLiveServer({ config: '', keepRoot: true });
  t.after(() => rmSync(srv.root, { recursive: true, force: true }));
  const pidFile = join(srv.root, 'logs', 'modpy.pid');
  writeFileSync(pidFile, '999999\n');
  await srv.stop();
  assert.equal(readFileSync(pidFile, 'utf8'), '999999\n');
});
