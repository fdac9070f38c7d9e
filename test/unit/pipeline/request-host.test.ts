/** RequestHost.startResponse applies what the phase changed before the head left
 *  (ResponseHead.sync) before it builds the head: Header env=/%{VAR}e, echo and the Range
 *  decision read those fields, as Apache's header filter reads the request when the first bytes
 *  leave. The live counterpart is test/integration/python-api/head-sync.test.ts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirConfigFor } from '../../../src/config/resolve.js';
import { createRequestHost } from '../../../src/pipeline/request-host.js';
import type { RequestRecord } from '../../../src/pipeline/request-record.js';
import { initialSync, SyncTracker } from '../../../src/pipeline/request-sync.js';
import type { ResponseHead } from '../../../src/workers/types.js';
import { load } from '../config/helpers.js';

interface SentHead {
  status: number;
  headers: [string, string][];
}

/** Just what startResponse reads: the record's fields and sync tracker, its directory's Header
 *  ops (from a real configuration), the client's headers, and the channel's sendHead. */
async function recordFor(range?: string): Promise<{ rec: RequestRecord; sent: SentHead[] }> {
  const cfg = await load(`
Header set X-Env-Cond "yes" env=HEAD_VAR
Header set X-Env-Val "%{HEAD_VAL}e"
Header echo ^X-Echo-
`);
  const { config } = await dirConfigFor(cfg, cfg.main, { uri: '/x', filename: null });
  const headersIn: [string, string][] = range ? [['Range', range]] : [];
  const sync = new SyncTracker(initialSync('/x', null, headersIn));
  const sent: SentHead[] = [];
  const channel = {
    headSent: false,
    sendHead(status: number, _line: string | null, headers: [string, string][]): void {
      channel.headSent = true;
      sent.push({ status, headers });
    },
  };
  const rec = {
    s: sync.state,
    sync,
    dir: config,
    method: 'GET',
    forcedStatus: null,
    ex: { channel, req: { headers: range ? { range } : {} }, startMs: 0 },
  } as unknown as RequestRecord;
  return { rec, sent };
}

/** A fresh head each time: the record takes its tables over (and the Range cut adds to them). */
const head = (sync?: ResponseHead['sync']): ResponseHead => ({
  status: 200,
  status_line: null,
  content_type: 'text/plain',
  headers_out: [],
  err_headers_out: [],
  content_length: 10,
  ...(sync ? { sync } : {}),
});
const named = (h: [string, string][], name: string): string[] => h.filter(([k]) => k.toLowerCase() === name).map(([, v]) => v);

void test("the head's sync is applied before the Header directive reads subprocess_env", async () => {
  const { rec, sent } = await recordFor();
  createRequestHost(rec, 'main').startResponse(head({ subprocess_env: [['HEAD_VAR', '1'], ['HEAD_VAL', 'v']], notes: [['n', '1']] }));
  assert.deepEqual(named(sent[0]!.headers, 'x-env-cond'), ['yes']);
  assert.deepEqual(named(sent[0]!.headers, 'x-env-val'), ['v']);
  assert.deepEqual(rec.s.notes, [['n', '1']], 'fields the head does not read are applied too');
});

void test('the packed subprocess_env is unpacked before the head is built', async () => {
  const { rec, sent } = await recordFor();
  createRequestHost(rec, 'main').startResponse(head({ subprocess_env_packed: ['HEAD_VAR\nHEAD_VAL', '1\npacked'] }));
  assert.deepEqual(named(sent[0]!.headers, 'x-env-val'), ['packed']);
  assert.deepEqual(rec.s.subprocess_env, [['HEAD_VAR', '1'], ['HEAD_VAL', 'packed']]);
});

void test('without a sync the head is built from the fields as they were', async () => {
  const { rec, sent } = await recordFor();
  createRequestHost(rec, 'main').startResponse(head());
  assert.deepEqual(named(sent[0]!.headers, 'x-env-cond'), []);
  assert.deepEqual(named(sent[0]!.headers, 'x-env-val'), ['(null)']);
});

void test("headers_in changed before the head: echo and the Range cut see the handler's headers", async () => {
  const cut = await recordFor('bytes=2-4');
  createRequestHost(cut.rec, 'main').startResponse(head());
  assert.equal(cut.sent[0]!.status, 206, 'the client Range applies when the handler left it');

  const { rec, sent } = await recordFor('bytes=2-4');
  createRequestHost(rec, 'main').startResponse(head({ headers_in: [['X-Echo-Me', 'echoed']] }));
  assert.equal(sent[0]!.status, 200);
  assert.deepEqual(named(sent[0]!.headers, 'content-range'), []);
  assert.deepEqual(named(sent[0]!.headers, 'x-echo-me'), ['echoed']);
  assert.equal(rec.ex.req.headers.range, undefined);
});
