import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOptions } from '../../../bench/options.js';
import { planRun, rowKey } from '../../../bench/plan.js';

const keys = (mode: 'quick' | 'full', only?: RegExp): string[] => planRun(mode, only).flatMap((p) => p.rows.map(rowKey));

void test('the full plan has every scenario of modpy at c1 and c32, and hello on the 1-8-32-128 curve', () => {
  const k = keys('full');
  for (const s of ['hello', 'publisher', 'psp', 'wsgi', 'session', 'echo', 'big', 'static']) {
    assert.ok(k.includes(`modpy/${s}/c1`) && k.includes(`modpy/${s}/c32`), s);
  }
  assert.ok(['c8', 'c128'].every((c) => k.includes(`modpy/hello/${c}`)));
  assert.ok(['modpy-w1', 'modpy-w2', 'modpy-w4'].every((w) => k.includes(`${w}/hello/c32`)));
});

void test('hello rows come first on each server, so PSS "after the hello load" is what it says', () => {
  const modpy = planRun('full').find((p) => p.instance.id === 'modpy');
  assert.deepEqual(modpy?.rows.slice(0, 4).map((r) => r.scenario), ['hello', 'hello', 'hello', 'hello']);
});

void test('--only keeps matching rows and drops servers left without rows', () => {
  const plan = planRun('full', /^(modpy|node)\/hello\/c32$/);
  assert.deepEqual(plan.map((p) => p.instance.id), ['modpy', 'node']);
});

void test('quick is a strict subset of full', () => {
  const full = new Set(keys('full'));
  assert.ok(keys('quick').every((k) => full.has(k)));
  assert.ok(keys('quick').length < full.size / 3);
});

void test('options: defaults, quick timings, and clear errors for bad input', () => {
  assert.equal(parseOptions([], 'x.json').durationSeconds, 10);
  assert.equal(parseOptions(['--quick'], 'x.json').durationSeconds, 3);
  assert.ok(parseOptions(['--only=^modpy/'], 'x.json').only?.test('modpy/hello/c1'));
  assert.throws(() => parseOptions(['--only=('], 'x.json'), /MPY_ERR_BENCH_BAD_OPTION|--only/);
  assert.throws(() => parseOptions(['--duration=0'], 'x.json'), /seconds/);
  assert.throws(() => parseOptions(['--fast'], 'x.json'), /unknown option "--fast"/);
});
