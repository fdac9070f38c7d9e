/**
 * Integration tests for the compat runner itself: it refuses to run without the reference Apache,
 * prints one line per case and the summary line, and leaves no Apache behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const RUN = resolve(import.meta.dirname, 'run.ts');

function run(env: Record<string, string>): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', RUN], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function apacheProcessesFor(marker: string): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return ps.split('\n').filter((l) => l.includes('apache2') && l.includes(marker));
}

void test('without the reference Apache the run fails with an install hint, not a pass', () => {
  const r = run({ MODPY_COMPAT_APACHE_BIN: '/nonexistent/apache2' });
  assert.equal(r.code, 2);
  assert.match(r.err, /reference Apache \+ mod_python is not installed/);
  assert.match(r.err, /apt-get install -y apache2 libapache2-mod-python/);
  assert.doesNotMatch(r.out, /passed/);
});

void test('a filtered Apache-only run prints a line per case, the summary, and stops Apache', () => {
  const r = run({ MODPY_COMPAT_APACHE_ONLY: '1', MODPY_COMPAT_FILTER: '^phases/(content-hello|return-http-not-found)$' });
  assert.equal(r.code, 0, r.out + r.err);
  const lines = r.out.trim().split('\n');
  assert.deepEqual(lines, ['ok phases/content-hello', 'ok phases/return-http-not-found', '2 passed, 0 failed, 0 skipped']);
  assert.deepEqual(apacheProcessesFor('modpy-compat-phases-'), []);
});
