import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { LOOP_MAJORS, LOOP_WINDOW_MS, LoopDetector, PAUSE_MS } from '../../src/gc-loop-breaker.js';

const run = promisify(execFile);
const MODULE = fileURLToPath(new URL('../../src/gc-loop-breaker.ts', import.meta.url));

void test('gc loop breaker: majors spread out are no loop; a burst of them pauses, once per pause', () => {
  assert.deepEqual([LOOP_MAJORS, LOOP_WINDOW_MS, PAUSE_MS], [3, 1000, 60_000], 'the times below assume these');
  const d = new LoopDetector();
  assert.equal(d.major(0), false);
  assert.equal(d.major(600), false);
  assert.equal(d.major(1200), false, 'three majors, but not within one window');
  assert.equal(d.major(1700), false, 'two within the window (0 and 600 have left it)');
  assert.equal(d.major(1800), true, 'the third within 1000 ms: pause');
  assert.equal(d.major(1450), false, 'during the pause nothing is counted');
  assert.equal(d.major(61_700), false, 'the pause lasts 60 s from the third major');
  assert.equal(d.major(61_900), false, 'after the pause counting starts afresh');
  assert.equal(d.major(62_000), false);
  assert.equal(d.major(62_100), true, 'a loop that comes back is paused again');
});

/** Script text: fills the old generation with objects it keeps, five times over. */
const FILL_OLD_GENERATION = `
    let keep;
    for (let round = 0; round < 5; round++) {
      keep = [];
      for (let i = 0; i < 2_000_000; i++) keep.push({ i, s: 'x' + i });
    }
    console.log(keep.length);`;

/** A fresh Node process (with V8's incremental-marking trace) that fills its old generation
 *  with objects it keeps, five times over; `pause` turns incremental marking off first, as the breaker does. */
async function marking(pause: boolean): Promise<{ starts: number; majors: number }> {
  const script = `
    const m = await import(${JSON.stringify(MODULE)});
    if (${pause}) m.setIncrementalMarking(false);
    ${FILL_OLD_GENERATION}`;
  const { stdout } = await run(process.execPath, ['--trace-incremental-marking', '--trace-gc', '--import', 'tsx', '--input-type=module', '-e', script], { maxBuffer: 64 * 1024 * 1024 });
  return { starts: stdout.split('[IncrementalMarking] Start marking').length - 1, majors: stdout.split('Mark-Compact').length - 1 };
}

void test('gc loop breaker: this runtime honours incremental marking turned off at run time', async () => {
  const [on, off] = await Promise.all([marking(false), marking(true)]);
  assert.ok(on.starts > 0, `with V8's default the growing heap is marked incrementally (${on.starts} starts; else this test proves nothing)`);
  assert.ok(off.majors > 0, `with it off the heap is still collected (${off.majors} mark-compacts)`);
  assert.equal(off.starts, 0, 'with it off no incremental marking starts');
});

void test('gc loop breaker: back-to-back majors in a live process pause incremental marking, and say so once', async () => {
  const script = `
    const m = await import(${JSON.stringify(MODULE)});
    let paused = 0;
    m.breakGcLoops(() => paused++);
    for (let i = 0; i < ${LOOP_MAJORS + 2}; i++) gc();
    await new Promise((resolve) => setTimeout(resolve, 200)); // GC entries are delivered later
    console.log('PAUSED ' + paused);
    ${FILL_OLD_GENERATION}`;
  const { stdout } = await run(process.execPath, ['--expose-gc', '--trace-incremental-marking', '--import', 'tsx', '--input-type=module', '-e', script], { maxBuffer: 64 * 1024 * 1024 });
  const marker = /PAUSED (\d+)\n/.exec(stdout);
  assert.ok(marker, `the script reached its marker: ${stdout.slice(-200)}`);
  assert.equal(marker[1], '1', 'one pause for the burst (the majors after it fall inside it)');
  const after = stdout.slice(marker.index);
  assert.equal(after.split('[IncrementalMarking] Start marking').length - 1, 0, 'no incremental marking once paused');
});
