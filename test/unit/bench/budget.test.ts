import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainMisses, missBudget } from '../../../bench/budget.js';
import type { BenchRow, BenchRun } from '../../../bench/results.js';
import type { TargetSpec } from '../../../bench/targets.js';

const ok = (server: string, scenario: string, connections: number, rps: number, extra: Partial<BenchRow> = {}): BenchRow => ({
  server, scenario, connections, status: 'ok', rps, ...extra,
});

const runOf = (rows: BenchRow[]): BenchRun => ({
  date: '2026-11-25T00:00:00Z', mode: 'full', warmupSeconds: 3, durationSeconds: 10,
  machine: { cpus: 2, cpuModel: 'x', memoryMiB: 1024, kernel: 'k', os: 'o', versions: {} },
  servers: {}, rows,
});

const ratio = (scenario: string, connections: number, peer: string, min: number): TargetSpec => ({ kind: 'ratio', scenario, connections, peer, min });

void test('at c32 the target rate is a CPU budget per request, less what wrk used, beside modpy and bare node:http', () => {
  const run = runOf([
    ok('modpy', 'hello', 32, 20000, { cpuUsPerRequest: 60, cpuUsPerRequestByCommand: { node: 36, python3: 24 }, wrkCpuUsPerRequest: 10 }),
    ok('mp-prefork', 'hello', 32, 50000),
    ok('node', 'hello', 32, 100000, { cpuUsPerRequest: 10 }),
  ]);
  const [budget, ceiling] = missBudget(ratio('hello', 32, 'mp-prefork', 1.25), run);
  // 1.25 × 50,000 = 62,500 req/s; 2 cores → 32 µs per request; minus wrk's 10 → 22 for the server.
  assert.match(budget!, /^At 62,500 req\/s the 2 cores hold at most 32 µs of CPU per request; wrk used 10 µs of it here, which leaves at most 22 µs for the server\./);
  assert.match(budget!, /Bare node:http used 10 µs, which leaves 12 µs for everything behind the front; modpy used 60 µs \(node 36, python3 24\): its Python workers alone used more than the whole server may\.$/);
  assert.equal(ceiling, 'Bare node:http reaches 2.00x here.');
});

void test('at c1 the target rate is a round trip; a bare node:http that is slower than the target says no node:http front meets it', () => {
  const run = runOf([ok('modpy', 'echo', 1, 2000), ok('mp-prefork', 'echo', 1, 10000), ok('node', 'echo', 1, 8000)]);
  assert.deepEqual(missBudget(ratio('echo', 1, 'mp-prefork', 1), run), [
    "At c1 a request is one round trip: 1x is 10,000 req/s, a round trip of at most 100 µs; bare node:http's own round trip took 125 µs, more than all of it; modpy's took 500 µs.",
    'Bare node:http reaches 0.80x here: below the target, so no server that answers through node:http meets it on this machine.',
  ]);
});

void test("a scenario bare node:http does not serve is held against its hello, and says so", () => {
  const run = runOf([ok('modpy', 'psp', 1, 5000), ok('mp-prefork', 'psp', 1, 10000), ok('node', 'hello', 1, 16000)]);
  const lines = missBudget(ratio('psp', 1, 'mp-prefork', 1), run);
  assert.match(lines[0]!, /bare node:http's own round trip, answering hello, took 63 µs, which leaves 38 µs for the way to Python and back and the handler; modpy's took 200 µs\.$/);
  assert.equal(lines[1], 'Bare node:http answering hello reaches 1.60x here.');
});

void test('a modpy row under its CPU budget is called short of work, not of CPU', () => {
  const run = runOf([ok('modpy', 'static', 32, 40000, { cpuUsPerRequest: 20, wrkCpuUsPerRequest: 10 }), ok('mp-prefork', 'static', 32, 45000)]);
  assert.match(missBudget(ratio('static', 32, 'mp-prefork', 1), run)[0]!, /modpy used 20 µs, within the budget: that row was short of work, not of CPU\.$/);
});

void test('no budget without both rows, and none against bare node:http for the target that is about it', () => {
  const target = ratio('hello', 32, 'mp-prefork', 1.3);
  assert.deepEqual(missBudget(target, runOf([ok('mp-prefork', 'hello', 32, 50000)])), []);
  assert.deepEqual(missBudget(target, runOf([ok('modpy', 'hello', 32, 50000)])), []);
  const lines = missBudget(ratio('hello', 32, 'node', 0.6), runOf([ok('modpy', 'hello', 32, 20000, { cpuUsPerRequest: 60 }), ok('node', 'hello', 32, 100000, { cpuUsPerRequest: 10 })]));
  assert.equal(lines.length, 1);
  assert.doesNotMatch(lines[0]!, /Bare node/);
});

void test("p99: Little's law gives the mean, and the rate at which the same spread meets the bound", () => {
  const run = runOf([ok('modpy', 'hello', 32, 20000, { p99Ms: 3.2 })]);
  // mean = 32 / 20,000 s = 1.6 ms; p99 = 2x the mean; p99 ≤ 2 ms at the same spread → mean 1 ms → 32,000 req/s.
  assert.deepEqual(missBudget({ kind: 'p99', scenario: 'hello', connections: 32, maxMs: 2 }, run), [
    "32 connections at 20,000 req/s hold each request 1.60 ms on average (Little's law) and p99 was 2.0x that; with the same spread, p99 ≤ 2 ms takes 32,000 req/s.",
  ]);
});

void test('explainMisses lists the targets not passed, each with its budget, and leaves out those passed', () => {
  const run = runOf([
    ok('modpy', 'hello', 32, 20000, { cpuUsPerRequest: 60, p99Ms: 1.5, pssMiB: 100 }),
    ok('mp-prefork', 'hello', 32, 50000),
  ]);
  const misses = explainMisses(run);
  const hello = misses.find((m) => m.target.description === 'hello c32: modpy ≥ 1.3x mp-prefork');
  assert.equal(hello?.target.verdict, 'MISS');
  assert.match(hello.budget[0]!, /^At 65,000 req\/s the 2 cores hold at most 31 µs of CPU per request; modpy used 60 µs\.$/);
  assert.ok(misses.every((m) => m.target.verdict !== 'PASS'));
  assert.equal(misses.some((m) => m.target.spec.kind === 'p99' || m.target.spec.kind === 'pss'), false, 'p99 1.5 ms and 100 MiB passed');
  assert.deepEqual(misses.find((m) => m.target.verdict === 'n/a')?.budget, [], 'not measured: nothing to work out');
});
