import test from 'node:test';
import assert from 'node:assert/strict';
import { levelAllows, mergeLogLevel } from '../../../src/pipeline/dir-log-level.js';
import { APLOG } from '../../../src/logs/log-level.js';

void test('a directory level replaces the server default and keeps its module levels', () => {
  const s = mergeLogLevel('warn ssl:info', 'debug');
  assert.equal(s.level, APLOG.DEBUG);
  assert.equal(s.modules.ssl, APLOG.INFO);
});

void test('module-only directory values overlay the server setting without changing its default', () => {
  const s = mergeLogLevel('info', 'mod_python:debug');
  assert.equal(s.level, APLOG.INFO);
  assert.ok(levelAllows(s, APLOG.DEBUG, 'python'), 'python messages at debug pass');
  assert.ok(!levelAllows(s, APLOG.DEBUG, 'core'), 'core stays at info');
  assert.ok(levelAllows(s, APLOG.INFO, 'core'));
});

void test('a bad directory level is a coded error', () => {
  assert.throws(() => mergeLogLevel('warn', 'loud'), /MPY_ERR_LOG_BAD_LEVEL|loud/);
});
