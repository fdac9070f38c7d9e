import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BridgeRequest, type RequestPolicy } from '../../../src/workers/bridge-request.js';
import type { PhaseCall, RequestHead, RequestHost } from '../../../src/workers/types.js';
import type { Stream, Worker } from '../../../src/workers/worker.js';

/** What a request sent to its worker, one word per message. */
type Sent = string[];

/** Just the part of a worker a request talks to, recording what it is sent. */
function fakeWorker(sent: Sent): Worker {
  let next = 0;
  const streams = new Map<number, Stream>();
  return {
    pid: 42,
    streams,
    nextId: () => ++next,
    attach: (s: Stream) => streams.set(s.id, s),
    sendBegin: (rid: number, _head: RequestHead, _ms: number, parent: number | undefined, call?: PhaseCall) =>
      sent.push(`begin ${rid}${parent === undefined ? '' : ` parent ${parent}`}${call ? ' +phase' : ''}`),
    sendPhase: (rid: number) => sent.push(`phase ${rid}`),
    proc: {
      send: (msg: { type: string; rid: number }) => sent.push(`${msg.type} ${msg.rid}`),
      sendData: (_kind: number, rid: number, data: Buffer) => sent.push(`data ${rid} ${data.toString()}`),
      sendEndLazy: (rid: number) => sent.push(`end ${rid}`),
    },
  } as unknown as Worker;
}

/** A POST with a small body that has fully arrived. */
function postHead(): RequestHead {
  return { clength_in: 5, expecting_100: false, read_chunked: false, the_request: 'POST / HTTP/1.1' } as RequestHead;
}

function hostWithBody(body: string): RequestHost {
  let left: Buffer | null = Buffer.from(body);
  return {
    readBody: () => {
      const chunk = left;
      left = null;
      return Promise.resolve(chunk);
    },
  } as unknown as RequestHost;
}

const policy: RequestPolicy = {
  interpreter: 'main_interpreter',
  deadlineAt: 0,
  deadlineMs: 0,
  graceMs: 0,
  release: () => {},
  unload: () => {},
  timedOut: () => {},
  requeue: () => {},
};

const call = { phase: 'PythonHandler' } as PhaseCall;

/** Runs one phase of `req` and answers it as the worker would. */
async function runPhase(req: BridgeRequest): Promise<void> {
  const done = req.runPhase(call);
  await new Promise((resolve) => setImmediate(resolve));
  req.onMessage({ type: 'phase.done', rid: req.id, result: { status: 0 } } as never);
  await done;
}

void test('bridge request: a small body rides with request.begin, and the first phase after it', async () => {
  const sent: Sent = [];
  const req = new BridgeRequest(postHead(), hostWithBody('hello'), policy, null);
  req.bind(fakeWorker(sent));
  await runPhase(req);
  await runPhase(req);
  assert.deepEqual(sent, ['begin 1', 'data 1 hello', 'body.end 1', 'phase 1', 'phase 1']);
});

void test('bridge request: a filter run before any phase begins the request once, and the phase does not preread', async () => {
  const sent: Sent = [];
  const req = new BridgeRequest(postHead(), hostWithBody('hello'), policy, null);
  req.bind(fakeWorker(sent));
  const filtered = req.filterOutput('F', null);
  req.onMessage({ type: 'filter.done', rid: req.id } as never);
  await filtered;
  await runPhase(req);
  assert.deepEqual(sent, ['begin 1', 'filter.run 1', 'phase 1']);
});

void test('bridge request: a child (internal redirect) is begun at once, under its parent, and only once', async () => {
  const sent: Sent = [];
  const parent = new BridgeRequest(postHead(), hostWithBody('hello'), policy, null);
  parent.bind(fakeWorker(sent));
  const child = (await parent.openChild(postHead(), hostWithBody('again'), 0)) as BridgeRequest;
  assert.deepEqual(sent, ['begin 2 parent 1']);
  await runPhase(child);
  assert.deepEqual(sent, ['begin 2 parent 1', 'phase 2'], 'its body is pulled when read, not preread');
});
