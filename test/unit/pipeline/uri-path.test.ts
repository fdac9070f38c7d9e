/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeRequestPath, normalizePath } from '../../../src/pipeline/uri-path.js';

describe('normalizePath (ap_normalize_path)', () => {
  const cases: [string, string | null][] = [
    ['/', '/'],
    ['/a/b', '/a/b'],
    ['/a//b///c', '/a/b/c'],
    ['/a/./b/.', '/a/b/'],
    ['/a/b/../c', '/a/c'],
    ['/a/b/..', '/a/'],
    ['/..', null],
    ['/a/../..', null],
    ['/%2e%2e/x', null],
    ['/.%2E/x', null],
    ['/%61bc', '/abc'],
    ['/a%2Fb', '/a%2Fb'],
    ['/a%zz', null],
    ['/a%2', null],
  ];
  for (const [input, expected] of cases) {
    it(`${input} → ${expected}`, () => assert.equal(normalizePath(input), expected));
  }
});

describe('decodeRequestPath', () => {
  it('decodes %-escapes once', () => assert.deepEqual(decodeRequestPath('/a%20b/%2541'), { ok: true, path: '/a b/%41' }));
  it('keeps UTF-8 names as text', () => assert.deepEqual(decodeRequestPath('/caf%C3%A9'), { ok: true, path: '/café' }));
  it('answers 404 for an encoded slash and for NUL', () => {
    assert.equal((decodeRequestPath('/a%2fb') as { status: number }).status, 404);
    assert.equal((decodeRequestPath('/a%00b') as { status: number }).status, 404);
  });
  it('answers 400 for a path above the root, a bad escape, a relative path', () => {
    for (const p of ['/../x', '/x%g1', 'x/y']) assert.equal((decodeRequestPath(p) as { status: number }).status, 400, p);
  });
});

void describe('normalizePath fast path', () => {
  void it('returns an already normal path as it is; near-misses still go through the full steps', () => {
    assert.equal(normalizePath('/a/b/c.txt'), '/a/b/c.txt');
    assert.equal(normalizePath('/a/b/'), '/a/b/');
    assert.equal(normalizePath('/'), '/');
    assert.equal(normalizePath('/a/.hidden'), '/a/.hidden');
    assert.equal(normalizePath('/a//b'), '/a/b');
    assert.equal(normalizePath('/a/./b/../c'), '/a/c');
    assert.equal(normalizePath('/a/%7e'), '/a/~');
  });
});
