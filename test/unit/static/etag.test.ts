import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exactEtag } from '../../../src/static/etag.js';

void test("the ETag carries the mtime truncated to microseconds, as Apache's does", () => {
  const dir = mkdtempSync(join(tmpdir(), 'modpy-etag-'));
  try {
    const file = join(dir, 'f');
    writeFileSync(file, 'abc');
    // 1.9999997 s past a whole second: a double mtimeMs would round it up to the next µs.
    utimesSync(file, 1_700_000_000, 1_700_000_000.9999997);
    const big = statSync(file, { bigint: true });
    const expected = `"3-${(big.mtimeNs / 1000n).toString(16)}"`;
    assert.equal(exactEtag(file, statSync(file)), expected);
    assert.match(expected, /^"3-[0-9a-f]+"$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('a file that vanished falls back to the stat the caller has', () => {
  assert.equal(exactEtag('/nonexistent/modpy-etag', { size: 16, mtimeMs: 1000.5 } as never), '"10-f4434"');
});
