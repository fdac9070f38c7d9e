/** req.read's body source: LimitRequestBody of the request reading it (the last record of the
 *  internal-redirect chain), 411 for chunked bodies, pieces of at most `max` bytes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { BodyReader } from '../../../src/pipeline/body-reader.js';

/** A request stream carrying `body`, with the headers BodyReader looks at. */
function request(body: string, headers: Record<string, string> = { 'content-length': String(body.length) }): IncomingMessage {
  const stream = new PassThrough();
  stream.end(body);
  return Object.assign(stream, { headers, method: 'POST' }) as unknown as IncomingMessage;
}

const record = (limitRequestBody: number | undefined) => ({ dir: { limitRequestBody } });

async function readAll(reader: BodyReader, max = 0): Promise<string> {
  let out = '';
  for (let c = await reader.read(max); c !== null; c = await reader.read(max)) out += c.toString();
  return out;
}

void test('the limit is the current request\'s: the last record of the chain, looked up when the body is read', async () => {
  const chain = [record(4)];
  const reader = new BodyReader(request('0123456789'), chain, 1000);
  chain.push(record(0)); // internal redirect to a directory without a limit
  assert.equal(await readAll(reader), '0123456789');

  const limited = [record(0), record(4)];
  await assert.rejects(readAll(new BodyReader(request('0123456789'), limited, 1000)), { code: 'MPY_ERR_HTTP_BODY_TOO_LARGE', status: 413 });
});

void test('a body over the limit without a Content-Length is refused once the bytes arrive', async () => {
  const reader = new BodyReader(request('0123456789', {}), [record(4)], 1000);
  await assert.rejects(readAll(reader), { code: 'MPY_ERR_HTTP_BODY_TOO_LARGE' });
});

void test('pieces are at most `max` bytes; a chunked body is 411', async () => {
  assert.equal(await readAll(new BodyReader(request('0123456789'), [record(undefined)], 1000), 3), '0123456789');
  const reader = new BodyReader(request('abc'), [record(0)], 1000);
  assert.deepEqual((await reader.read(3))?.toString(), 'abc');
  const chunked = new BodyReader(request('abc', { 'transfer-encoding': 'chunked' }), [record(0)], 1000);
  await assert.rejects(chunked.read(10), { code: 'MPY_ERR_HTTP_LENGTH_REQUIRED', status: 411 });
});
