/** Unit tests for compat/lib/error-log: handler messages are extracted from both log formats. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenLines } from './error-log.js';

void test('level and message survive; time, module, pid and client are dropped', () => {
  const log = [
    '[Wed Nov 25 00:39:59.949077 2026] [:error] [pid 7851:tid 7851] [client 127.0.0.1:35258] hello TOK1',
    '[Wed Nov 25 00:39:59.949082 2026] [python:warn] [pid 9:tid 9] world TOK1',
    '[Wed Nov 25 00:39:59.949082 2026] [:notice] [pid 9:tid 9] unrelated',
  ].join('\n');
  assert.deepEqual(tokenLines(log, 'TOK1'), ['error: hello TOK1', 'warn: world TOK1']);
});

void test('a line in another format is kept whole, marked with "?"', () => {
  assert.deepEqual(tokenLines('raw stderr TOK2\n', 'TOK2'), ['?: raw stderr TOK2']);
});
