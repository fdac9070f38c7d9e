import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SmallFileCache } from '../../../src/static/file-cache.js';

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'modpy-file-cache-'));
}

void test('a small file is read once and served from memory while its stat is unchanged', () => {
  const dir = scratch();
  try {
    const file = join(dir, 'a.txt');
    writeFileSync(file, 'hello');
    const cache = new SmallFileCache(1024, 4096);
    const first = cache.get(file, statSync(file));
    assert.equal(first?.body.toString(), 'hello');
    assert.match(first?.etag ?? '', /^"5-[0-9a-f]+"$/);
    assert.equal(first?.lastModified, statSync(file).mtime.toUTCString());
    assert.equal(cache.get(file, statSync(file)), first, 'same version: the cached entry itself');
    assert.equal(cache.size, 5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('a changed file (new mtime or size) is read again', () => {
  const dir = scratch();
  try {
    const file = join(dir, 'a.txt');
    writeFileSync(file, 'one');
    const cache = new SmallFileCache(1024, 4096);
    assert.equal(cache.get(file, statSync(file))?.body.toString(), 'one');
    writeFileSync(file, 'two!');
    assert.equal(cache.get(file, statSync(file))?.body.toString(), 'two!');
    writeFileSync(file, 'six!');
    utimesSync(file, new Date(1_000_000), new Date(2_000_000));
    assert.equal(cache.get(file, statSync(file))?.body.toString(), 'six!', 'same size, other mtime');
    assert.equal(cache.size, 4, 'the old version no longer counts');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('a file changed since the caller stat-ed it is not served (the caller falls back)', () => {
  const dir = scratch();
  try {
    const file = join(dir, 'a.txt');
    writeFileSync(file, 'old');
    const stale = statSync(file);
    writeFileSync(file, 'newer');
    assert.equal(new SmallFileCache(1024, 4096).get(file, stale), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('big files, directories and vanished files are not cached', () => {
  const dir = scratch();
  try {
    const big = join(dir, 'big');
    writeFileSync(big, Buffer.alloc(2000));
    const cache = new SmallFileCache(1024, 4096);
    assert.equal(cache.get(big, statSync(big)), null);
    assert.equal(cache.get(dir, statSync(dir)), null);
    const gone = join(dir, 'gone');
    writeFileSync(gone, 'x');
    const st = statSync(gone);
    rmSync(gone);
    assert.equal(cache.get(gone, st), null);
    assert.equal(cache.size, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('the least recently used files leave when the total passes the limit', () => {
  const dir = scratch();
  try {
    const cache = new SmallFileCache(100, 250);
    const files = ['a', 'b', 'c'].map((n) => {
      const f = join(dir, n);
      writeFileSync(f, Buffer.alloc(100, n));
      return f;
    });
    const [a, b, c] = files as [string, string, string];
    const entryA = cache.get(a, statSync(a));
    cache.get(b, statSync(b));
    assert.equal(cache.get(a, statSync(a)), entryA, 'a is used again: b is now the oldest');
    cache.get(c, statSync(c));
    assert.equal(cache.size, 200);
    assert.equal(cache.get(a, statSync(a)), entryA, 'a stayed');
    assert.notEqual(cache.get(b, statSync(b)), null, 'b is read again after its eviction');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
