/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * Supervision on real workers: crashes cost only the requests a worker had begun, deadlines
 * (exception first, then SIGKILL → 504), max-requests recycling, the bounded queue (503 +
 * Retry-After), start-up failures, shutdown draining and worker_exit, rolling reload.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HANDLER_CALL, RecordingHost, makeHead, poolSettings, run, startGateway } from './harness.js';
import { retryAfterOf } from '../../../src/workers/overload.js';

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The newest request the worker has begun, read from its scoreboard page (the 8-byte file it
 *  maps, unlinked once opened, so it is read through /proc/<pid>/map_files): tells the test that
 *  a request is running, without guessing. */
function lastBegun(pid: number): number {
  const line = readFileSync(`/proc/${pid}/maps`, 'latin1').split('\n').find((l) => /modpy-\d+-\d+\.sb/.test(l));
  const range = line?.split(' ')[0];
  if (!range) return 0;
  const page = readFileSync(`/proc/${pid}/map_files/${range}`);
  return page.length >= 8 ? Number(page.readBigUInt64BE(0)) : 0;
}

function pidOf(text: string): number {
  return Number(text.split(' ')[0]);
}

describe('worker supervision', () => {
  it('a worker killed with SIGKILL under load costs only its begun requests; queued ones move; it is replaced', async () => {
    const tg = startGateway();
    const settings = poolSettings({ minProcesses: 2, maxProcesses: 2, pipeline: 4 });
    try {
      const a = await run(tg, '/pid', { settings });
      const victim = pidOf(a.host.text);
      const begunBefore = lastBegun(victim);
      // Fill both workers with slow requests, then kill one of them.
      const pending = Array.from({ length: 8 }, () =>
        run(tg, '/sleep?ms=300', { settings }).then(
          (o) => ({ ok: true as const, pid: o.req.workerPid }),
          (e: { code?: string; status?: number }) => ({ ok: false as const, code: e.code, status: e.status }),
        ),
      );
      await waitFor(() => lastBegun(victim) > begunBefore); // the victim runs one of them now
      process.kill(victim, 'SIGKILL');
      const results = await Promise.all(pending);
      const failed = results.filter((r) => !r.ok);
      assert.ok(failed.length >= 1 && failed.length <= 1, `exactly the request the victim was running fails (got ${failed.length})`);
      assert.deepEqual(
        failed.map((f) => !f.ok && [f.code, f.status]),
        [['MPY_ERR_WORKER_CRASHED', 502]],
        'with a 502',
      );
      assert.ok(results.filter((r) => r.ok).length === 7, 'the others, including those queued behind it, succeed');
      const next = await run(tg, '/hello', { settings });
      assert.equal(next.host.text, 'Hello, World!\n', 'the next request works');
      const line = tg.logs.find((l) => l.message.includes(`worker ${victim} for interpreter "main_interpreter" was killed by signal SIGKILL`));
      assert.ok(line, 'the crash is logged in plain words');
      assert.match(line.message, /while serving "GET \/sleep\?ms=300 HTTP\/1\.1"/, 'naming the request it was running');
      assert.match(line.message, /1 request\(s\) it had begun failed.*3 queued request\(s\) it never began were moved/, 'and what became of the others');
      await waitFor(() => tg.gateway.stats()[0]!.workers.filter((w) => w.state === 'ready').length === 2);
      assert.equal(tg.gateway.stats()[0]!.workers.length, 2, 'the pool is back to two workers');
    } finally {
      await tg.gateway.shutdown(2000);
    }
  });

  it('os._exit and SIGSEGV in a handler cost that request a 502 and the worker is replaced', async () => {
    const tg = startGateway();
    const settings = poolSettings();
    try {
      await assert.rejects(run(tg, '/crash', { settings }), { code: 'MPY_ERR_WORKER_CRASHED', status: 502 });
      assert.ok(tg.logs.some((l) => /exited unexpectedly with code 7 while serving "GET \/crash/.test(l.message)));
      await assert.rejects(run(tg, '/segv', { settings }), { status: 502 });
      assert.ok(tg.logs.some((l) => /killed by signal SIGSEGV/.test(l.message)));
      assert.equal((await run(tg, '/hello', { settings })).host.text, 'Hello, World!\n');
    } finally {
      await tg.gateway.shutdown(2000);
    }
  });

  it('a handler in an infinite loop gets RequestTimeout at the deadline (504) and the worker lives on', async () => {
    const tg = startGateway();
    const settings = poolSettings({ requestTimeoutMs: 200, graceMs: 2000 });
    try {
      const before = pidOf((await run(tg, '/pid', { settings })).host.text);
      const t0 = Date.now();
      await assert.rejects(run(tg, '/loop', { settings }), { code: 'MPY_ERR_WORKER_TIMEOUT', status: 504 });
      assert.ok(Date.now() - t0 < 1500, 'ended by the exception, not by the kill');
      const after = pidOf((await run(tg, '/pid', { settings })).host.text);
      assert.equal(after, before, 'the same worker serves the next request');
      assert.ok(tg.logs.some((l) => /request GET \/loop HTTP\/1\.1 exceeded its 200 ms deadline/.test(l.message)), 'the timeout is logged');
    } finally {
      await tg.gateway.shutdown(2000);
    }
  });

  it('a handler that swallows RequestTimeout is killed after the grace period (504), others get 502', async () => {
    const tg = startGateway();
    const settings = poolSettings({ requestTimeoutMs: 200, graceMs: 300 });
    try {
      const before = pidOf((await run(tg, '/pid', { settings })).host.text);
      const t0 = Date.now();
      await assert.rejects(run(tg, '/swallow', { settings }), { code: 'MPY_ERR_WORKER_TIMEOUT', status: 504 });
      const took = Date.now() - t0;
      assert.ok(took >= 450 && took < 3000, `killed after deadline + grace (${took} ms)`);
      const after = pidOf((await run(tg, '/pid', { settings })).host.text);
      assert.notEqual(after, before, 'a new worker took over');
      assert.ok(tg.logs.some((l) => /did not stop within 300 ms after the deadline; killed with SIGKILL \(was running "GET \/swallow/.test(l.message)));
    } finally {
      await tg.gateway.shutdown(2000);
    }
  });

  it('recycles a worker after maxRequests, rolling', async () => {
    const tg = startGateway();
    const settings = poolSettings({ maxRequests: 3, maxRequestsJitter: 0 });
    try {
      const pids: number[] = [];
      for (let i = 0; i < 3; i++) pids.push(pidOf((await run(tg, '/pid', { settings })).host.text));
      assert.equal(new Set(pids).size, 1, 'the first three share a worker');
      // The old worker keeps serving until its replacement is ready, then retires.
      await waitFor(() => {
        const w = tg.gateway.stats()[0]!.workers;
        return w.length === 1 && w[0]!.pid !== pids[0] && w[0]!.state === 'ready';
      });
      const fourth = pidOf((await run(tg, '/pid', { settings })).host.text);
      assert.notEqual(fourth, pids[0], 'the fourth runs on the replacement');
      assert.equal(tg.gateway.stats()[0]!.restarts['max-requests'], 1);
      assert.equal(tg.gateway.stats()[0]!.workers.length, 1, 'the old worker is gone');
    } finally {
      await tg.gateway.shutdown(2000);
    }
  });

  it('rejects with 503 and Retry-After when the queue is full', async () => {
    const tg = startGateway();
    const settings = poolSettings({ pipeline: 1, queueLimit: 2 });
    try {
      await run(tg, '/hello', { settings });
      const slow = [0, 1, 2].map(() => run(tg, '/sleep?ms=200', { settings }));
      const err = await run(tg, '/hello', { settings }).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(err, 'the fourth request is refused');
      assert.equal((err as { status: number }).status, 503);
      assert.equal((err as { code: string }).code, 'MPY_ERR_WORKER_QUEUE_FULL');
      assert.equal(retryAfterOf(err), 1, 'with a Retry-After value');
      await Promise.all(slow);
    } finally {
      await tg.gateway.shutdown(2000);
    }
  });

  it('fails fast with 503 when the Python executable does not exist', async () => {
    const tg = startGateway();
    const settings = poolSettings({ python: '/nonexistent/python3' });
    try {
      const err = await run(tg, '/hello', { settings }).then(
        () => null,
        (e: unknown) => e as { code: string; status: number },
      );
      assert.equal(err?.code, 'MPY_ERR_WORKER_START_FAILED');
      assert.equal(err?.status, 503);
      assert.ok(tg.logs.some((l) => /failed to start: cannot run the Python executable: spawn \/nonexistent\/python3 ENOENT/.test(l.message)));
    } finally {
      await tg.gateway.shutdown(500);
    }
  });

  it('shutdown lets running requests finish, then runs worker_exit', async () => {
    const tg = startGateway();
    const dir = mkdtempSync(join(tmpdir(), 'modpy-exit-'));
    const marker = join(dir, 'exit.log');
    const settings = poolSettings({ env: { BRIDGE_EXIT_MARKER: marker } });
    const slow = run(tg, '/sleep?ms=300', { settings });
    const begun = () => tg.gateway.stats()[0]?.workers.some((w) => w.state === 'ready' && lastBegun(w.pid) > 0) ?? false;
    await waitFor(begun, 10_000); // the request is running when the shutdown starts
    await tg.gateway.shutdown(3000);
    assert.equal((await slow).host.text, 'slept', 'the in-flight request completed');
    assert.ok(existsSync(marker) && /worker_exit \d+/.test(readFileSync(marker, 'utf8')), 'worker_exit ran');
    await assert.rejects(run(tg, '/hello', { settings }), { code: 'MPY_ERR_WORKER_SHUTTING_DOWN', status: 503 });
  });

  it('reload replaces every worker without failing a request', async () => {
    const tg = startGateway();
    const settings = poolSettings({ minProcesses: 2, maxProcesses: 2 });
    try {
      const before = new Set<number>();
      for (let i = 0; i < 4; i++) before.add(pidOf((await run(tg, '/pid', { settings })).host.text));
      const load = Array.from({ length: 10 }, (_, i) => run(tg, `/sleep?ms=${20 + i * 10}`, { settings }));
      await tg.gateway.reload();
      const results = await Promise.all(load);
      assert.ok(results.every((r) => r.host.text === 'slept'), 'every request during the reload succeeded');
      const after = new Set<number>();
      for (let i = 0; i < 4; i++) after.add(pidOf((await run(tg, '/pid', { settings })).host.text));
      for (const pid of after) assert.ok(!before.has(pid), 'only new workers serve after the reload');
    } finally {
      await tg.gateway.shutdown(2000);
    }
  });

  it('a request whose host rejects writes still completes the phase (client went away)', async () => {
    const tg = startGateway();
    const settings = poolSettings();
    try {
      const host = new RecordingHost();
      host.writeBody = () => Promise.reject(new Error('client gone'));
      const req = await tg.gateway.open('main_interpreter', settings, makeHead('/hello'), host, 0);
      const result = await req.runPhase(HANDLER_CALL);
      await req.close();
      assert.equal(result.status, 0);
    } finally {
      await tg.gateway.shutdown(2000);
    }
  });
});
