import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { GrowthGovernor, YOUNG_GENERATION_CAP_BYTES } from '../../src/young-generation-cap.js';

const run = promisify(execFile);
const MODULE = fileURLToPath(new URL('../../src/young-generation-cap.ts', import.meta.url));

void test('young generation cap: growth stops at the cap and comes back when V8 has shrunk it', () => {
  const factors: number[] = [];
  const governor = new GrowthGovernor(16, (f) => factors.push(f));
  governor.afterGc(4);
  governor.afterGc(8);
  assert.deepEqual(factors, [], 'below the cap: V8 keeps its default, nothing is set');
  governor.afterGc(16);
  assert.deepEqual(factors, [1], 'at the cap: no more growth');
  governor.afterGc(16);
  governor.afterGc(32);
  assert.deepEqual(factors, [1], 'set once, not after every GC');
  governor.afterGc(8);
  assert.deepEqual(factors, [1, 2], 'shrunk below the cap: it may grow again');
});

/** A fresh Node process that allocates short-lived objects hard (as a burst of requests does)
 *  and prints the young generation's size; with `cap`, capYoungGeneration() runs first. */
async function youngBytesAfterChurn(cap: boolean): Promise<number> {
  const script = `
    const m = await import(${JSON.stringify(MODULE)});
    if (${cap}) m.capYoungGeneration();
    let keep = [];
    for (let round = 0; round < 400; round++) {
      for (let i = 0; i < 20000; i++) { keep.push({ a: i, b: 'x' + i }); if (keep.length > 20000) keep = []; }
      await new Promise((r) => setImmediate(r)); // lets the gc observer run, as the event loop does in the server
    }
    console.log(m.youngGenerationBytes());`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
  return Number(stdout.trim());
}

void test('young generation cap: in the live runtime the young generation stays at the cap (and grows past it without)', async () => {
  const [capped, free] = await Promise.all([youngBytesAfterChurn(true), youngBytesAfterChurn(false)]);
  assert.ok(free > YOUNG_GENERATION_CAP_BYTES, `without the cap V8 grew it to ${free} bytes (else this test proves nothing)`);
  assert.ok(capped > 0 && capped <= YOUNG_GENERATION_CAP_BYTES, `capped: ${capped} bytes`);
});
