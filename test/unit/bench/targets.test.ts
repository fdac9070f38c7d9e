import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BenchRow } from '../../../bench/results.js';
import { evaluateTargets, ratioOf, targetForRow } from '../../../bench/targets.js';

const ok = (server: string, scenario: string, connections: number, rps: number, extra: Partial<BenchRow> = {}): BenchRow => ({
  server, scenario, connections, status: 'ok', rps, ...extra,
});

void test('ratioOf is modpy req/s over the peer req/s for the same scenario and connections', () => {
  const rows = [ok('modpy', 'hello', 32, 60000), ok('mp-prefork', 'hello', 32, 40000), ok('mp-prefork', 'hello', 1, 1)];
  assert.equal(ratioOf(rows, 'hello', 32, 'mp-prefork'), 1.5);
  assert.equal(ratioOf(rows, 'hello', 1, 'mp-prefork'), undefined, 'modpy c1 missing');
});

void test('a failed modpy row gives n/a, never PASS', () => {
  const rows: BenchRow[] = [
    { server: 'modpy', scenario: 'hello', connections: 32, status: 'failed', reason: 'did not start: x' },
    ok('mp-prefork', 'hello', 32, 40000),
  ];
  const t = evaluateTargets(rows).find((x) => x.description.startsWith('hello c32: modpy ≥ 1.3x mp-prefork'));
  assert.equal(t?.verdict, 'n/a');
});

void test('ratio targets PASS at the threshold and MISS just below it', () => {
  const pass = evaluateTargets([ok('modpy', 'hello', 32, 130), ok('mp-prefork', 'hello', 32, 100)]);
  assert.equal(pass.find((x) => x.description.includes('1.3x mp-prefork'))?.verdict, 'PASS');
  const miss = evaluateTargets([ok('modpy', 'hello', 32, 129), ok('mp-prefork', 'hello', 32, 100)]);
  assert.equal(miss.find((x) => x.description.includes('1.3x mp-prefork'))?.verdict, 'MISS');
});

void test('p99 and PSS targets read modpy hello c32', () => {
  const rows = [ok('modpy', 'hello', 32, 1, { p99Ms: 2.5, pssMiB: 120 })];
  const results = evaluateTargets(rows);
  assert.deepEqual(
    results.filter((t) => t.spec.kind !== 'ratio').map((t) => [t.value, t.verdict]),
    [['2.50 ms', 'MISS'], ['120 MiB', 'PASS']],
  );
});

void test('targetForRow finds the target a peer row is compared against', () => {
  assert.equal(targetForRow(ok('cgi', 'hello', 1, 30))?.min, 250);
  assert.equal(targetForRow(ok('mp-event', 'hello', 32, 30)), undefined, 'event has no target of its own');
});

void test('a ratio over a row measured while the machine was busy elsewhere is marked noisy', () => {
  const rows = [ok('modpy', 'hello', 32, 130), ok('mp-prefork', 'hello', 32, 100, { otherCpuCores: 1.2 })];
  const t = evaluateTargets(rows).find((x) => x.description.includes('1.3x mp-prefork'));
  assert.equal(t?.value, '1.30x (noisy)');
  assert.equal(t?.verdict, 'PASS');
});
