/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * The mod_python API layer (python/mod_python/_worker/dispatch.py and friends) inside real
 * Python workers, through the real bridge: HandlerDispatch, responses, bodies, the debug error
 * page, Python output filters, cross-process global locks and connection handlers.
 * Handlers live in handlers.py (written to a temp dir; its docstring lists the entry points).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerLockServices } from '../../../src/services/index.js';
import type { HandlerEntry } from '../../../src/config/types.js';
import type { PhaseCall, RequestSync } from '../../../src/workers/types.js';
import { RecordingHost, SERVER, makeHead, poolSettings, startGateway } from '../workers/harness.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const DIR = mkdtempSync(join(tmpdir(), 'modpy-pyapi-')) + '/';
writeFileSync(join(DIR, 'pyapi_handlers.py'), readFileSync(join(HERE, 'handlers.py')));
const LOCK_LOG = join(DIR, 'locks.log');

function entry(handler: string, over: Partial<HandlerEntry> = {}): HandlerEntry {
  return { handler: `pyapi_handlers::${handler}`, directory: DIR, isLocation: false, silent: false, ...over };
}

function call(phase: string, handlers: HandlerEntry[], sync: Partial<RequestSync> = {}): PhaseCall {
  return { phase, hlist: handlers, extension: null, sync };
}

describe('mod_python API in real workers', () => {
  const tg = startGateway();
  registerLockServices(tg.services);
  const settings = poolSettings({
    maxProcesses: 2,
    minProcesses: 2,
    pipeline: 1,
    env: { MODPY_DISPATCH_MODULE: 'mod_python._worker.dispatch', PYAPI_LOCK_LOG: LOCK_LOG },
  });
  after(async () => {
    await tg.gateway.shutdown(2000);
    rmSync(DIR, { recursive: true, force: true });
  });

  async function open(uri: string, host = new RecordingHost(), over = {}) {
    return { host, req: await tg.gateway.open('pyapi', settings, makeHead(uri, over), host, 10_000) };
  }

  it('runs a handler, syncs fields back and sends a Content-Length for unflushed output', async () => {
    const { host, req } = await open('/hello?name=x', new RecordingHost(), {
      parsed_uri: [null, null, null, null, 'localhost', 80, '/hello', 'name=x', null],
    });
    const result = await req.runPhase(call('PythonHandler', [entry('hello')]));
    await req.close();
    assert.equal(result.status, 0, 'OK');
    assert.equal(host.text, 'hello /hello name=x', 'the body');
    assert.equal(host.head?.content_length, host.text.length, 'whole body known: a length');
    assert.equal(host.head?.content_type, 'text/plain', 'content type in the head');
    // Changed before the write: it went to the server with the head, and is not sent again.
    assert.deepEqual(host.head?.sync?.notes, [['seen', 'yes']], 'changed table synced back with the head');
    assert.equal(result.sync.notes, undefined, 'phase.done carries only later changes');
  });

  it('keeps req attributes between phases and applies the stacking rules', async () => {
    const { host, req } = await open('/stack');
    const fix = await req.runPhase(call('PythonFixupHandler', [entry('fixup_declined'), entry('fixup_ok'), entry('fixup_ok')]));
    assert.equal(fix.status, 0, 'fixups continue after DECLINED and OK');
    const content = await req.runPhase(call('PythonHandler', [entry('show_trail'), entry('show_trail')]));
    await req.close();
    assert.equal(content.status, 0);
    assert.equal(host.text, 'declined,ok,ok|declined,ok,ok|', 'both content handlers ran and saw the trail');
  });

  it('answers DONE with the escaped traceback page when PythonDebug is On', async () => {
    const { host, req } = await open('/boom');
    const result = await req.runPhase(call('PythonHandler', [entry('boom')], { config: { PythonDebug: '1' } }));
    await req.close();
    assert.equal(result.status, -2, 'DONE');
    assert.equal(host.head?.status, 500, 'status 500');
    assert.match(host.text, /Mod_python error: &quot;PythonHandler pyapi_handlers::boom&quot;|Mod_python error: "PythonHandler pyapi_handlers::boom"/);
    assert.match(host.text, /ValueError: &lt;bad&gt;/, 'HTML-escaped');
    assert.ok(host.logs.some((l) => l.message === 'PythonHandler pyapi_handlers::boom: ValueError: <bad>'), 'logged per line');
    assert.ok(host.logs.every((l) => l.message.startsWith('PythonHandler pyapi_handlers::boom: ')), 'every line prefixed');
  });

  it('reads the request body through req.read/readline', async () => {
    const body = Buffer.from('first line\nsecond line\n' + 'z'.repeat(200_000));
    const host = new RecordingHost(body);
    const { req } = await open('/echo', host, { method: 'POST', clength_in: body.length });
    await req.runPhase(call('PythonHandler', [entry('echo_lines')]));
    await req.close();
    assert.equal(host.text, `first line\n|second line\n|${200_000}`);
  });

  it('runs a Python output filter over the handler output, chunk by chunk', async () => {
    const { host, req } = await open('/filtered');
    const spec = { name: 'UPPER', handler: 'pyapi_handlers::upper_filter', directory: DIR, isInput: false };
    const result = await req.runPhase(call('PythonHandler', [entry('streamed')], { python_filters: [spec], output_filters: ['UPPER'] }));
    await req.close();
    assert.equal(result.status, 0);
    assert.equal(host.text, 'ONE TWO <EOS>', 'filtered, with the EOS call');
  });

  it('serialises _global_lock across two worker processes', async () => {
    writeFileSync(LOCK_LOG, '');
    const runOne = async () => {
      // The pipeline routes calls it does not serve itself to the service registry; so does this host.
      const ends: (() => void)[] = [];
      let pid = 0;
      const forward = (name: string) => (args: Record<string, unknown>) =>
        tg.services.call(name, args, { interpreter: 'pyapi', workerPid: pid, rid: 1, onEnd: (fn) => ends.push(fn) });
      const host = new RecordingHost(Buffer.alloc(0), {
        'lock.acquire': forward('lock.acquire'),
        'lock.release': forward('lock.release'),
      });
      const { req } = await open('/lock', host);
      pid = req.workerPid;
      const r = await req.runPhase(call('PythonHandler', [entry('locked_section')]));
      await req.close();
      for (const fn of ends) fn();
      if (r.status !== 0) console.error(host.logs.map((l) => l.message).join('\n'));
      return r.status;
    };
    assert.deepEqual(await Promise.all([runOne(), runOne()]), [0, 0]);
    const lines = readFileSync(LOCK_LOG, 'utf8').trim().split('\n');
    const pids = new Set(lines.map((l) => l.split(' ')[1]));
    assert.equal(pids.size, 2, 'two different worker processes took part');
    assert.deepEqual(lines.map((l) => l.split(' ')[0]), ['in', 'out', 'in', 'out'], 'never two holders at once');
  });

  it('serves a PythonConnectionHandler over the connection', async () => {
    const input = [Buffer.from('ping\n'), null];
    const out: Buffer[] = [];
    // Connection handlers get no directory prepend: only the server's PythonPath (as upstream).
    const server = { ...SERVER, config: { PythonPath: `sys.path + [${JSON.stringify(DIR)}]` } };
    const result = await tg.gateway.serveConnection('pyapi', settings, entry('echo_conn'), { ...makeHead('/').connection, keepalives: 0 }, server, {
      read: async () => input.shift() ?? null,
      write: async (chunk) => void out.push(Buffer.from(chunk)),
      log: (_level, message) => console.error(message),
    });
    assert.equal(result, 0);
    assert.equal(Buffer.concat(out).toString(), 'PONG ping\n');
  });
});
