import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { enableReadBufferGc, MINOR_GC_EVERY_BYTES, noteReadBytes, readBufferGcAvailable, ReadByteCounter } from '../../src/read-buffer-gc.js';

/** Young-generation GCs seen while `fn` runs (reported asynchronously by the observer). */
async function scavengesDuring(fn: () => void): Promise<number> {
  let seen = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (((entry as { detail?: { kind?: number } }).detail)?.kind === constants.NODE_PERFORMANCE_GC_MINOR) seen++;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  fn();
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return seen;
}

void test('read-buffer gc: the runtime lets the server run a scavenge (else large reads fall back to full GCs)', () => {
  assert.equal(readBufferGcAvailable(), false, 'off until the server turns it on');
  enableReadBufferGc();
  assert.equal(readBufferGcAvailable(), true);
});

void test('read-buffer gc: 64 MiB of reads run scavenges in the live runtime', async () => {
  enableReadBufferGc();
  const many = await scavengesDuring(() => {
    for (let i = 0; i < 1024; i++) noteReadBytes(64 * 1024);
  });
  assert.ok(many >= 64 / (MINOR_GC_EVERY_BYTES / 1024 / 1024) - 1, `64 MiB counted in 64 KiB reads ran ${many} scavenges`);
});

void test('read-buffer gc: one scavenge per threshold of bytes, none for small reads', () => {
  let runs = 0;
  const counter = new ReadByteCounter(1000, () => runs++);
  for (let i = 0; i < 9; i++) counter.note(100);
  assert.equal(runs, 0, '900 bytes: under the threshold');
  counter.note(100);
  assert.equal(runs, 1, 'the threshold reached: one scavenge');
  for (let i = 0; i < 25; i++) counter.note(100);
  assert.equal(runs, 3, 'counting starts again after each scavenge');
  counter.note(5000);
  assert.equal(runs, 4, 'one large read: one scavenge, not one per threshold crossed');
});
