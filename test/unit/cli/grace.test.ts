/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks test promises itself */
/**
 * The drain limit: httpd's GracefulShutdownTimeout sets it (it used to be ignored as MPM
 * tuning), 0 means no limit instead of falling back to 30 s, bad values are config errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drainLimitMs } from '../../../src/cli/grace.js';

/** The longest delay a Node timer accepts. */
const NO_LIMIT_MS = 2 ** 31 - 1;
import { loadConfigFromText } from '../../../src/config/load.js';

const graceOf = async (text: string): Promise<number> =>
  (await loadConfigFromText(`Listen 127.0.0.1:1\n${text}\n`, { virtualFile: '/tmp/grace-test.conf', serverRoot: '/tmp' })).gracefulShutdownTimeoutMs;

test('GracefulShutdownTimeout sets the drain limit in seconds', async () => {
  assert.equal(await graceOf('GracefulShutdownTimeout 5'), 5000);
  assert.equal(await graceOf(''), 30_000, 'the default without either directive');
  assert.equal(await graceOf('GracefulShutdownTimeout 0'), 0, 'an explicit 0 stays 0');
});

test('GracefulShutdownTimeout and ModpyGracefulShutdownTimeout: the later one wins', async () => {
  assert.equal(await graceOf('ModpyGracefulShutdownTimeout 7\nGracefulShutdownTimeout 2'), 2000);
  assert.equal(await graceOf('GracefulShutdownTimeout 2\nModpyGracefulShutdownTimeout 7'), 7000);
});

test('GracefulShutdownTimeout and ModpyGracefulShutdownTimeout parse alike: seconds, fractions allowed', async () => {
  for (const name of ['GracefulShutdownTimeout', 'ModpyGracefulShutdownTimeout']) {
    assert.equal(await graceOf(`${name} 2.5`), 2500, name);
    await assert.rejects(graceOf(`${name} soon`), {
      code: 'MPY_ERR_CONFIG_BAD_ARGUMENT',
      message: `${name} must be a number of seconds (0 = no limit), got 'soon'`,
    });
    await assert.rejects(graceOf(`${name} -1`), { message: `${name} must be a number of seconds (0 = no limit), got '-1'` });
    await assert.rejects(graceOf(`${name} 1.`), { message: `${name} must be a number of seconds (0 = no limit), got '1.'` });
  }
});

test('drainLimitMs: 0 is no limit, other values pass through', () => {
  assert.equal(drainLimitMs(0), NO_LIMIT_MS);
  assert.equal(drainLimitMs(1500), 1500);
  assert.equal(drainLimitMs(30_000), 30_000);
  assert.equal(drainLimitMs(2 ** 40), NO_LIMIT_MS, 'capped at what a timer accepts');
});
