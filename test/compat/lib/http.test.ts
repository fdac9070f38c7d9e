/** Unit tests for compat/lib/http: raw replies (HTTP/1.0, chunked) parse like node:http ones. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRawReply } from './http.js';

void test('a chunked raw reply is de-chunked and its framing recorded', () => {
  const raw = Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n', 'latin1');
  const r = parseRawReply(raw, 'GET');
  assert.equal(r.status, 200);
  assert.equal(r.framing, 'chunked');
  assert.equal(r.body.toString(), 'abcde');
  assert.deepEqual(r.headers.get('content-type'), ['text/plain']);
});

void test('a reply without length is framed by close; repeated headers are kept in order', () => {
  const raw = Buffer.from('HTTP/1.0 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\nbody', 'latin1');
  const r = parseRawReply(raw, 'GET');
  assert.equal(r.framing, 'close');
  assert.deepEqual(r.headers.get('set-cookie'), ['a=1', 'b=2']);
  assert.equal(r.body.toString(), 'body');
});

void test('bytes that are not HTTP give status 0 and the bytes as body', () => {
  const r = parseRawReply(Buffer.from('220 hello\r\n'), 'GET');
  assert.equal(r.status, 0);
  assert.equal(r.body.toString(), '220 hello\r\n');
});
