/** The header list of a handler's response: framing is left to Node, and the request's
 *  content_type decides Content-Type as Apache's header filter does. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { responseHeaders } from '../../../src/pipeline/response-headers.js';
import type { RequestRecord } from '../../../src/pipeline/request-record.js';

interface Fields {
  headers_out?: [string, string][];
  err_headers_out?: [string, string][];
  content_type?: string | null;
  content_encoding?: string | null;
}

/** Just what responseHeaders reads (no Header directive in the directory config). */
function recWith(f: Fields, addDefaultCharset?: string): RequestRecord {
  const s = { headers_out: [], err_headers_out: [], content_type: null, content_encoding: null, content_languages: [], subprocess_env: [], ...f };
  return { s, dir: { addDefaultCharset }, ex: { req: { headers: {} }, startMs: 0, headersIn: [] } } as unknown as RequestRecord;
}

const named = (headers: [string, string][], name: string) => headers.filter(([k]) => k.toLowerCase() === name).map(([, v]) => v);

void test('with content_type set, a Content-Type in headers_out or err_headers_out is not sent twice', () => {
  const rec = recWith({ headers_out: [['Content-Type', 'text/x-table'], ['X-A', '1']], err_headers_out: [['content-type', 'text/x-err']], content_type: 'text/html' }, 'utf-8');
  const headers = responseHeaders(rec);
  assert.deepEqual(named(headers, 'content-type'), ['text/html; charset=utf-8']);
  assert.deepEqual(named(headers, 'x-a'), ['1']);
});

void test('without content_type, the table\'s own Content-Type goes out', () => {
  const headers = responseHeaders(recWith({ headers_out: [['Content-Type', 'text/x-table']] }));
  assert.deepEqual(named(headers, 'content-type'), ['text/x-table']);
});

void test('Content-Length and Transfer-Encoding from the tables are framing: a numeric length is kept as the length', () => {
  const rec = recWith({ headers_out: [['Content-Length', '12'], ['Transfer-Encoding', 'chunked']], content_encoding: 'gzip' });
  const headers = responseHeaders(rec);
  assert.deepEqual(headers, [['Content-Encoding', 'gzip'], ['Content-Length', '12']]);
  assert.deepEqual(named(responseHeaders(rec, 5), 'content-length'), ['5'], 'an explicit length wins');
});
