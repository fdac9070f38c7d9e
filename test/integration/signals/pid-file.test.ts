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
  // stop() first even when an assertion failed: a live server keeps this file's run waiting.
  t.after(async () => {
    await srv.stop();
    rmSync(srv.root, { recursive: true, force: true });
  });
  const pidFile = join(srv.root, 'logs', 'modpy.pid');
  // Written just after the port opens, whole (renamed into place): once there, it is the pid.
  await srv.waitForFile('logs/modpy.pid');
  assert.equal(readFileSync(pidFile, 'utf8'), `${srv.pid}\n`);
  await srv.stop();
  assert.equal(existsSync(pidFile), false);
});

void test('a stopping server leaves a PidFile that names another process', async (t) => {
  const srv = await startLiveServer({ config: '', keepRoot: true });
  t.after(async () => {
    await srv.stop();
    rmSync(srv.root, { recursive: true, force: true });
  });
  const pidFile = join(srv.root, 'logs', 'modpy.pid');
  await srv.waitForFile('logs/modpy.pid'); // else the server's own write could come after ours
  writeFileSync(pidFile, '999999\n');
  await srv.stop();
  assert.equal(readFileSync(pidFile, 'utf8'), '999999\n');
});
