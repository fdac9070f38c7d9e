/** req.method_number follows Apache's M_* numbers, looked up by the method as sent on the wire. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { methodNumber } from '../../../src/pipeline/request-record.js';

void test('every Apache method name maps to its M_* number (WebDAV names with hyphens)', () => {
  const apache: [string, number][] = [
    ['GET', 0], ['HEAD', 0], ['PUT', 1], ['POST', 2], ['DELETE', 3], ['CONNECT', 4], ['OPTIONS', 5],
    ['TRACE', 6], ['PATCH', 7], ['PROPFIND', 8], ['PROPPATCH', 9], ['MKCOL', 10], ['COPY', 11],
    ['MOVE', 12], ['LOCK', 13], ['UNLOCK', 14], ['VERSION-CONTROL', 15], ['CHECKOUT', 16],
    ['UNCHECKOUT', 17], ['CHECKIN', 18], ['UPDATE', 19], ['LABEL', 20], ['REPORT', 21],
    ['MKWORKSPACE', 22], ['MKACTIVITY', 23], ['BASELINE-CONTROL', 24], ['MERGE', 25],
  ];
  for (const [method, n] of apache) assert.equal(methodNumber(method), n, method);
});

void test('unknown methods, constant-style names and lower case are M_INVALID (26)', () => {
  for (const m of ['VERSION_CONTROL', 'BASELINE_CONTROL', 'get', 'BREW', '']) assert.equal(methodNumber(m), 26, m);
});
