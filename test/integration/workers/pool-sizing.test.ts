/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * Pool sizing on real workers: prestart for PythonImport, growth up to maxProcesses under load,
 * idle shrink back to minProcesses, and the memory limit's rolling recycle.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { poolSettings, run, startGateway } from './harness.js';

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('pool sizing', () => {
  it('prestart starts the pools PythonImport names and waits until they are ready', async () => {
    const tg = startGateway();
    try {
      await tg.gateway.prestart(
        [
          { module: 'a', interpreter: 'alpha' },
          { module: 'b', interpreter: 'beta' },
        ],
        () => poolSettings(),
      );
      const stats = tg.gateway.stats();
      assert.deepEqual(stats.map((s) => s.interpreter).sort(), ['alpha', 'beta']);
      assert.ok(stats.every((s) => s.workers.some((w) => w.state === 'ready')), 'each has a ready worker');
      assert.ok(tg.logs.some((l) => l.message === 'bridge fixture ready in alpha'), 'worker_init ran with its name');
    } finally {
      await tg.gateway.shutdown(2000);
    }
  });

  it('grows to maxProcesses while every worker is busy and shrinks back after idleTimeout', async () => {
    const tg = startGateway(50);
    const settings = poolSettings({ minProcesses: 1, maxProcesses: 3, pipeline: 1, idleTimeoutMs: 300 });
    try {
      await Promise.all(Array.from({ length: 6 }, () => run(tg, '/sleep?ms=250', { settings })));
      assert.ok(tg.gateway.stats()[0]!.workers.length >= 2, 'more workers were started under load');
      assert.ok(tg.gateway.stats()[0]!.workers.length <= 3, 'never more than maxProcesses');
      await waitFor(() => tg.gateway.stats()[0]!.workers.length === 1, 5000);
      assert.equal((await run(tg, '/hello', { settings })).host.text, 'Hello, World!\n', 'the remaining worker serves');
    } finally {
      await tg.gateway.shutdown(2000);
    }
  });

  it('replaces a worker whose RSS is over the memory limit, without failing requests', async () => {
    const tg = startGateway(50);
    const settings = poolSettings({ maxMemoryMiB: 1 }); // every Python process is bigger than 1 MiB
    try {
      const first = (await run(tg, '/pid', { settings })).host.text;
      await waitFor(() => (tg.gateway.stats()[0]!.restarts.memory ?? 0) >= 1);
      await waitFor(() => tg.gateway.stats()[0]!.workers.some((w) => w.state === 'ready' && w.pid !== Number(first.split(' ')[0])));
      assert.equal((await run(tg, '/hello', { settings })).host.text, 'Hello, World!\n');
      assert.ok(tg.logs.some((l) => /recycled: RSS \d+ MiB is above the 1 MiB limit/.test(l.message)), 'the recycle is logged');
    } finally {
      await tg.gateway.shutdown(2000);
    }
  });
});
