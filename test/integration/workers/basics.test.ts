/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * The worker bridge on real Python workers: state, interpreters, bodies, stdout, calls, filters,
 * nested requests, connection handlers.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HANDLER_CALL, RecordingHost, makeHead, poolSettings, run, startGateway, SERVER } from './harness.js';
import type { RequestHost } from '../../../src/workers/types.js';

describe('worker bridge basics', () => {
  const tg = startGateway();
  const settings = poolSettings();
  after(() => tg.gateway.shutdown(2000));

  it('answers a request and announces which Python the pool runs', async () => {
    const { result, host } = await run(tg, '/hello', { settings });
    assert.equal(result.status, 0, 'the phase result is OK');
    assert.equal(host.text, 'Hello, World!\n', 'the body arrives');
    assert.equal(host.head?.content_length, 14, 'the head arrives with its length');
    const line = tg.logs.find((l) => /runs Python 3\.\d+/.test(l.message));
    assert.ok(line, 'the Python version and executable are logged at start');
    assert.match(line.message, / at \/\S+python/, 'with the absolute executable path');
    if (process.env.MODPY_TEST_PYTHON?.includes('venv')) {
      assert.ok(line.message.includes(process.env.MODPY_TEST_PYTHON), 'a venv is named by its own bin/python');
    }
  });

  it('keeps module state across requests in one worker', async () => {
    const a = await run(tg, '/count', { settings });
    const b = await run(tg, '/count', { settings });
    assert.equal(Number(b.host.text), Number(a.host.text) + 1, 'the counter grows');
  });

  it('runs two interpreter names in separate processes with separate state', async () => {
    const one = await run(tg, '/pid', { settings, interpreter: 'one' });
    const two = await run(tg, '/pid', { settings, interpreter: 'two' });
    const [pid1, name1] = one.host.text.split(' ');
    const [pid2, name2] = two.host.text.split(' ');
    assert.notEqual(pid1, pid2, 'different processes');
    assert.equal(name1, 'one', 'worker_init got its interpreter name');
    assert.equal(name2, 'two');
    const c1 = await run(tg, '/count', { settings, interpreter: 'one' });
    assert.equal(c1.host.text, '1', "interpreter 'one' has its own counter");
  });

  it('gives spin= to the workers, which keep answering while they poll between requests', async () => {
    const spinning = poolSettings({ spinUs: 3000 });
    const polled = await run(tg, '/spin', { settings: spinning, interpreter: 'spinner' });
    assert.equal(polled.host.text, '0.003', 'the worker polls 3000 µs before it sleeps');
    for (let i = 1; i <= 20; i++) {
      const r = await run(tg, '/count', { settings: spinning, interpreter: 'spinner' });
      assert.equal(r.host.text, String(i), 'each request is answered, in turn');
    }
    assert.equal((await run(tg, '/spin', { settings })).host.text, '0', 'off by default');
  });

  it('passes a small body with the request and pulls large ones in pieces, both intact', async () => {
    const small = Buffer.from('x'.repeat(1000));
    assert.deepEqual(Buffer.concat((await run(tg, '/echo', { settings, body: small })).host.chunks), small, 'small body');
    const big = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 255;
    const echoed = await run(tg, '/echo?piece=100000', { settings, body: big });
    assert.ok(Buffer.concat(echoed.host.chunks).equals(big), '3 MiB body echoed byte for byte');
  });

  it('streams a large response with backpressure and keeps it intact', async () => {
    const n = 5 * 1024 * 1024;
    const host = new RecordingHost(Buffer.alloc(0), {}, 2);
    const { host: h } = await run(tg, `/big?n=${n}&chunk=300000`, { settings, host });
    const body = Buffer.concat(h.chunks);
    assert.equal(body.length, n, 'every byte arrives');
    for (let i = 0; i < n; i += 4099) assert.equal(body[i], i & 255, `byte ${i}`);
  });

  it('flushes on request', async () => {
    const { host } = await run(tg, '/stream?n=3', { settings });
    assert.equal(host.flushes, 3, 'three flushes reach the host');
    assert.equal(host.text.length, 3 * 1024);
  });

  it('keeps stdout and stderr out of the protocol and logs them line by line', async () => {
    const { host } = await run(tg, '/print', { settings });
    assert.equal(host.text, 'printed', 'the response is intact');
    const after = await run(tg, '/hello', { settings });
    assert.equal(after.host.text, 'Hello, World!\n', 'the next request works');
    // Output lines are logged as the worker's pipes are read: wait (bounded) until the last one came.
    const all = () => ['line 199 to stdout', 'raw write to fd 1', 'to stderr'].every((m) => tg.logs.some((l) => l.message.startsWith(m)));
    for (const end = Date.now() + 5000; !all() && Date.now() < end; ) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(tg.logs.some((l) => l.message.startsWith('line 199 to stdout')), 'stdout lines are logged');
    assert.ok(tg.logs.some((l) => l.message === 'raw write to fd 1'), 'raw fd 1 writes too');
    assert.ok(tg.logs.some((l) => l.message === 'to stderr' && l.level === 3), 'stderr lines at error level');
  });

  it('routes calls to the request host, server_call with the current request, and failures back as errors', async () => {
    const host = new RecordingHost(Buffer.alloc(0), { echo: async (args) => ({ got: args }) });
    const { host: h } = await run(tg, '/call?method=echo', { settings, host });
    assert.deepEqual(JSON.parse(h.text), { got: { x: 1 } });
    const host2 = new RecordingHost(Buffer.alloc(0), { echo: async (args) => ({ via: 'host', args }) });
    const { host: h2 } = await run(tg, '/server-call?method=echo', { settings, host: host2 });
    assert.deepEqual(JSON.parse(h2.text), { via: 'host', args: { x: 2 } }, 'server_call goes through the running request');
    const host3 = new RecordingHost();
    await assert.rejects(run(tg, '/call?method=nope', { settings, host: host3 }), { code: 'MPY_ERR_WORKER_EXCEPTION' });
    assert.ok(
      host3.logs.some((l) => l.message.includes("ServerCallError: unknown server call 'nope'")),
      'the failed call raised ServerCallError with the server’s message in the handler',
    );
  });

  it('streams sendfile through the host in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modpy-bridge-'));
    const file = join(dir, 'f.txt');
    writeFileSync(file, 'FILE');
    const { host } = await run(tg, `/sendfile?path=${encodeURIComponent(file)}`, { settings });
    assert.equal(host.text, 'before|FILE|after 4');
  });

  it('runs output filters over Node-produced data', async () => {
    const host = new RecordingHost();
    const req = await tg.gateway.open('main_interpreter', settings, makeHead('/static'), host, 0);
    assert.deepEqual((await req.filterOutput('upper', Buffer.from('abc'))).map(String), ['ABC']);
    assert.deepEqual((await req.filterOutput('upper', null)).map(String), ['<eos>']);
    await req.close();
  });

  it('serves a nested child request in the same worker while the parent waits (internal redirect)', async () => {
    let childPid = 0;
    let parentPid = 0;
    const parentReq: { current?: import('../../../src/workers/types.js').PythonRequest } = {};
    const childHost = new RecordingHost();
    const host: RequestHost = new RecordingHost(Buffer.alloc(0), {
      internal_redirect: async (args) => {
        const child = await parentReq.current!.openChild(makeHead(String(args.uri), { prev_rid: 1 }), childHost, 0);
        childPid = child.workerPid;
        const r = await child.runPhase(HANDLER_CALL);
        await child.close();
        return r.status;
      },
    });
    const req = await tg.gateway.open('main_interpreter', settings, makeHead('/redirect?to=/child'), host, 0);
    parentReq.current = req;
    parentPid = req.workerPid;
    await req.runPhase(HANDLER_CALL);
    await req.close();
    assert.equal(childHost.text, 'child of 1', 'the child ran');
    assert.equal(childPid, parentPid, 'in the parent’s worker');
    assert.equal((host as RecordingHost).text, 'after:0', 'the parent resumed with the call’s value');
  });

  it('an internally redirected small POST: the child reads its body (pulled from the host)', async () => {
    const body = Buffer.from('posted to the child');
    const childHost = new RecordingHost(body);
    const opened: { parent?: import('../../../src/workers/types.js').PythonRequest } = {};
    const host: RequestHost = new RecordingHost(Buffer.alloc(0), {
      internal_redirect: async (args) => {
        const head = makeHead(String(args.uri), { prev_rid: 1, method: 'POST', clength_in: body.length });
        const child = await opened.parent!.openChild(head, childHost, 0);
        const r = await child.runPhase(HANDLER_CALL);
        await child.close();
        return r.status;
      },
    });
    const parent = await tg.gateway.open('main_interpreter', settings, makeHead('/redirect?to=/echo'), host, 0);
    opened.parent = parent;
    await parent.runPhase(HANDLER_CALL);
    await parent.close();
    assert.equal(childHost.text, body.toString(), 'the child read the whole body');
    assert.equal((host as RecordingHost).text, 'after:0');
  });

  it('runs a connection handler over frames', async () => {
    const input = [Buffer.from('hello\nwor'), Buffer.from('ld\nquit\n')];
    const written: Buffer[] = [];
    const result = await tg.gateway.serveConnection('main_interpreter', settings, HANDLER_CALL.hlist[0]!, { ...makeHead('/').connection, keepalives: 0 }, SERVER, {
      read: async () => input.shift() ?? null,
      write: async (chunk) => void written.push(Buffer.from(chunk)),
      log: () => undefined,
    });
    assert.equal(result, 0);
    assert.equal(Buffer.concat(written).toString(), 'echo:hello\necho:world\nbye\n');
  });

  it('a host that throws does not take the worker down: the error is logged, the worker lives on', async () => {
    const host = new RecordingHost();
    host.startResponse = () => {
      throw new Error('pipeline bug');
    };
    const before = (await run(tg, '/pid', { settings })).host.text;
    const { result } = await run(tg, '/hello', { settings, host });
    assert.equal(result.status, 0, 'the phase still ends');
    assert.ok(tg.logs.some((l) => l.message.includes('Error: pipeline bug')), 'the exception is logged with its stack');
    assert.equal((await run(tg, '/pid', { settings })).host.text, before, 'same worker');
  });

  it('reports pool stats', () => {
    const stats = tg.gateway.stats();
    const main = stats.find((s) => s.interpreter === 'main_interpreter');
    assert.ok(main && main.workers.length === 1 && main.workers[0]!.requests > 5);
  });
});
