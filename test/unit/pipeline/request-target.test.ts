/** Request targets split at the first "?"; Host headers into Apache's r->hostname and a port. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHostHeader, splitQuery } from '../../../src/pipeline/request-target.js';

void test('the query is what follows the first "?", "" when the "?" ends the target, null without one', () => {
  assert.deepEqual(splitQuery('/a/b'), { path: '/a/b', query: null });
  assert.deepEqual(splitQuery('/a?x=1?y=2'), { path: '/a', query: 'x=1?y=2' });
  assert.deepEqual(splitQuery('/a?'), { path: '/a', query: '' });
});

void test('a Host header gives a lower-case name without port or IPv6 brackets, and its port', () => {
  assert.deepEqual(parseHostHeader('Example.COM:8080'), { name: 'example.com', port: 8080 });
  assert.deepEqual(parseHostHeader('example.com'), { name: 'example.com', port: null });
  assert.deepEqual(parseHostHeader('[::1]:81'), { name: '::1', port: 81 });
  assert.deepEqual(parseHostHeader('[::1]'), { name: '::1', port: null });
  assert.deepEqual(parseHostHeader(undefined), { name: '', port: null });
  assert.deepEqual(parseHostHeader('host:'), { name: 'host:', port: null }, 'no digits: no port, kept as sent');
});
