import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chartBlocks, loadRun, performanceMarkdown } from '../../../bench/report.js';
import type { BenchRun } from '../../../bench/results.js';

const RUN: BenchRun = {
  date: '2026-11-25T02:00:00.000Z',
  mode: 'full',
  warmupSeconds: 2,
  durationSeconds: 10,
  machine: { cpus: 2, cpuModel: 'cpu', memoryMiB: 24576, kernel: '6.1', os: 'Debian', versions: { node: 'v20' } },
  servers: { modpy: 'modpy', 'mp-prefork': 'Apache prefork + mod_python', 'modpy-w2': 'modpy, 2 workers' },
  rows: [
    { server: 'mp-prefork', scenario: 'hello', connections: 32, status: 'ok', rps: 40000, p50Ms: 0.5, p99Ms: 9, cpuUsPerRequest: 30, pssMiB: 500, errors: 0 },
    { server: 'modpy', scenario: 'hello', connections: 32, status: 'ok', rps: 30000, p50Ms: 0.9, p99Ms: 1.5, cpuUsPerRequest: 45, pssMiB: 90, errors: 0 },
    { server: 'modpy-w2', scenario: 'hello', connections: 32, status: 'ok', rps: 29000 },
    { server: 'modpy', scenario: 'psp', connections: 1, status: 'failed', reason: 'wrong response from x: HTTP 500' },
  ],
};

void test('the page names the machine, the run and the misses, with the hand-written notes', () => {
  const md = performanceMarkdown(RUN, 'modpy loses hello because of the IPC hop.');
  assert.match(md, /2 CPU cores \(cpu\), 24 GiB RAM/);
  assert.match(md, /2026-11-25 02:00 UTC/);
  assert.match(md, /- hello c32: modpy ≥ 1.3x Apache prefork \+ mod_python: 0.75x \(MISS\)/);
  assert.match(md, /hello c32: modpy p99 ≤ 2 ms \| 1.50 ms \| PASS/);
  assert.match(md, /modpy loses hello because of the IPC hop\./);
  assert.match(md, /wrong response from x: HTTP 500/);
});

void test('the chart puts modpy first and leaves scaling rows out', () => {
  const blocks = chartBlocks(RUN);
  assert.equal(blocks.length, 2, 'hello, and psp where modpy failed');
  assert.equal(blocks[1]?.cells[0]?.bars[0]?.note, 'no numbers: wrong response');
  const c32 = blocks[0]?.cells[1];
  assert.equal(blocks[0]?.title.startsWith('hello'), true);
  assert.deepEqual(c32?.bars.map((b) => [b.label, b.highlight]), [['modpy', true], ['Apache prefork + mod_python', false]]);
});

void test('loadRun rejects a file that is not bench output with a coded error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
  writeFileSync(join(dir, 'bad.json'), '{"hello": 1}');
  assert.throws(() => loadRun(join(dir, 'bad.json')), /MPY_ERR_BENCH_RESULTS|Cannot use bench results/);
  assert.throws(() => loadRun(join(dir, 'missing.json')), /Cannot use bench results/);
});
