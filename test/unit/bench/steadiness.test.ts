import { test } from 'node:test';
import assert from 'node:assert/strict';
import { steadiness, steadinessLines } from '../../../bench/steadiness.js';
import type { BenchRow, BenchRun } from '../../../bench/results.js';

function row(server: string, connections: number, rps: number): BenchRow {
  return { server, scenario: 'hello', connections, status: 'ok', rps };
}

function runWith(rows: BenchRow[]): BenchRun {
  return { rows } as unknown as BenchRun;
}

void test('two identical rows within 10 % are steady, further apart unsteady', () => {
  const run = runWith([row('modpy', 1, 5000), row('modpy-w2', 1, 5200), row('modpy', 32, 15000), row('modpy-w2', 32, 18343)]);
  const [c1, c32] = steadiness(run);
  assert.equal(c1!.steady, true);
  assert.equal(c32!.steady, false);
  assert.ok(Math.abs(c32!.difference - 0.182) < 0.001);
  const lines = steadinessLines(run);
  assert.match(lines[0]!, /hello c1: default pool 5,000 vs 2 workers 5,200 req\/s \(4 % apart\): steady/);
  assert.match(lines[1]!, /UNSTEADY/);
});

void test('nothing to say when a row is missing or failed', () => {
  assert.deepEqual(steadiness(runWith([row('modpy', 32, 15000)])), []);
  assert.deepEqual(steadiness(runWith([row('modpy', 32, 15000), { server: 'modpy-w2', scenario: 'hello', connections: 32, status: 'failed', reason: 'x' }])), []);
});
