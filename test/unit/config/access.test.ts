/**
 * config/access: the stored form of a DirConfig's access fields — `require` derived from the
 * Require lines, the Order/Allow/Deny rule and Satisfy, the inputs kept only when they differ.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accessInputs, settleAccess } from '../../../src/config/access.js';
import { mergeDirConfig } from '../../../src/config/merge.js';
import type { DirConfig, LimitedRequire } from '../../../src/config/types.js';
import { load } from './helpers.js';

const src = { file: 'f', line: 1 };
const req = (user: string): LimitedRequire => ({ methods: null, except: false, expr: { kind: 'require', negated: false, provider: 'user', args: [user], source: src } });

void test('a plain section stores only `require`: its Require lines', async () => {
  const cfg = await load('<Directory /p>\nRequire user a\nRequire user b\n</Directory>');
  const config = cfg.main.sections[0]?.config as DirConfig;
  assert.deepEqual(Object.keys(config).filter((k) => /^(require|requireLines|accessCompat|satisfyAny)$/.test(k)), ['require']);
  assert.deepEqual(config.require?.map((r) => r.expr.kind === 'require' && r.expr.args), [['a'], ['b']]);
});

void test('with Order/Allow/Deny the inputs are kept beside the derived `require`', async () => {
  const cfg = await load('<Directory /c>\nRequire user a\nOrder allow,deny\nAllow from all\n</Directory>');
  const config = cfg.main.sections[0]?.config as DirConfig;
  assert.equal(config.requireLines?.length, 1);
  assert.equal(config.accessCompat?.expr.kind, 'require');
  assert.equal(config.satisfyAny, undefined);
  assert.deepEqual(config.require?.map((r) => r.expr.kind), ['all'], 'lines AND the host rule (Satisfy All)');
});

void test('settleAccess keeps the Require lines beside `require` only under Satisfy Any, and reading back gives the inputs', () => {
  const building: DirConfig = { requireLines: [req('a')], satisfyAny: true };
  settleAccess(building);
  // Satisfy Any keeps the lines beside their evaluated form: a merge must still see them.
  assert.deepEqual(building, { requireLines: [req('a')], satisfyAny: true, require: [req('a')] });
  assert.deepEqual(accessInputs(building), { lines: [req('a')], compat: undefined, satisfyAny: true });
  const plain: DirConfig = { requireLines: [req('b')] };
  settleAccess(plain);
  assert.deepEqual(plain, { require: [req('b')] });
  assert.deepEqual(accessInputs(plain), { lines: [req('b')], compat: undefined, satisfyAny: undefined });
});

void test('a settled config merges as the raw one would', () => {
  const parent: DirConfig = { requireLines: [req('p')], accessCompat: req('host') };
  settleAccess(parent);
  const child: DirConfig = { requireLines: [req('c')] };
  settleAccess(child);
  const merged = mergeDirConfig(parent, child);
  assert.deepEqual(merged.requireLines, [req('c')], 'the child\'s lines replace the parent\'s');
  assert.deepEqual(merged.accessCompat, req('host'), 'the host rule is inherited');
  assert.deepEqual(merged.require?.map((r) => r.expr.kind), ['all']);
});
