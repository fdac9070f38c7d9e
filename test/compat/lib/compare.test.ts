/** Unit tests for compat/lib/compare: differences are found and described, sameness is silent. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkExpectation, compareReplies, textDiff, type Side } from './compare.js';
import type { Reply } from './http.js';
import type { NormContext } from './normalize.js';

const ctxA: NormContext = { literals: [], ports: [[1000, 'PORT']] };
const ctxB: NormContext = { literals: [], ports: [[2000, 'PORT']] };

function reply(status: number, headers: Record<string, string | string[]>, body: string, framing: Reply['framing'] = 'length'): Reply {
  const map = new Map<string, string[]>();
  for (const [k, v] of Object.entries(headers)) map.set(k, Array.isArray(v) ? v : [v]);
  return { status, headers: map, body: Buffer.from(body, 'latin1'), framing };
}

const side = (r: Reply, ctx: NormContext): Side => ({ reply: r, ctx });

void test('replies that differ only in their port are the same', () => {
  const a = side(reply(302, { location: 'http://127.0.0.1:1000/x' }, 'see :1000'), ctxA);
  const b = side(reply(302, { location: 'http://127.0.0.1:2000/x' }, 'see :2000'), ctxB);
  assert.deepEqual(compareReplies(a, b, undefined), []);
});

void test('status, a compared header, framing and body differences are each reported', () => {
  const a = side(reply(200, { 'content-type': 'text/plain' }, 'hello', 'chunked'), ctxA);
  const b = side(reply(404, { 'content-type': 'text/html' }, 'help', 'length'), ctxB);
  const diffs = compareReplies(a, b, undefined);
  assert.equal(diffs.length, 4);
  assert.match(diffs[0]!, /^status: apache 200 vs modpy 404/);
  assert.match(diffs[1]!, /^content-type/);
  assert.match(diffs[2]!, /^framing: apache chunked vs modpy length/);
  assert.match(diffs[3]!, /^body at 3/);
});

void test('ETag is compared by presence only, Allow as a set', () => {
  const a = side(reply(405, { etag: '"1-2"', allow: 'POST,GET,HEAD' }, ''), ctxA);
  const b = side(reply(405, { etag: 'W/"abc"', allow: 'GET, HEAD, POST' }, ''), ctxB);
  assert.deepEqual(compareReplies(a, b, undefined), []);
  const c = side(reply(405, { allow: 'GET,POST' }, ''), ctxB);
  assert.deepEqual(compareReplies(a, c, undefined), ['allow: apache "GET,HEAD,POST" vs modpy "GET,POST"', 'etag: apache present vs modpy absent']);
});

void test('a case can ignore the body or compare a projection of it', () => {
  const a = side(reply(500, {}, 'trace one'), ctxA);
  const b = side(reply(500, {}, 'trace two'), ctxB);
  assert.deepEqual(compareReplies(a, b, { body: 'ignore' }), []);
  assert.deepEqual(compareReplies(a, b, { body: (t) => t.split(' ')[0]! }), []);
});

void test('expectations check status, headers (absent with null) and body patterns', () => {
  const s = side(reply(200, { 'content-length': '3' }, 'abc'), ctxA);
  assert.deepEqual(checkExpectation(s, { status: 200, headers: { 'Content-Length': '3', 'Transfer-Encoding': null }, body: /^a/ }, 'modpy'), []);
  const diffs = checkExpectation(s, { status: 302, headers: { Location: '/x' }, body: 'abd' }, 'modpy');
  assert.equal(diffs.length, 3);
});

void test('textDiff points at the first differing character', () => {
  assert.match(textDiff('abcdef', 'abcxef'), /^at 3: /);
});
