import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { noteReadBytes, readBufferGcAvailable } from '../../src/read-buffer-gc.js';

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
  assert.equal(readBufferGcAvailable(), true);
});

void test('read-buffer gc: 64 MiB of reads run scavenges, a few KiB do not', async () => {
  const many = await scavengesDuring(() => {
    for (let i = 0; i < 1024; i++) noteReadBytes(64 * 1024);
  });
  assert.ok(many >= 7, `64 MiB counted in 64 KiB reads ran ${many} scavenges, want one per 8 MiB`);
  const few = await scavengesDuring(() => {
    for (let i = 0; i < 10; i++) noteReadBytes(300);
  });
  assert.equal(few, 0, 'a few small reads run no GC');
});
