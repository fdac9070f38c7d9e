/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * Request limits and bad input: LimitRequestLine (414), LimitRequestFieldSize and
 * LimitRequestFields (400 with Apache's note), LimitRequestBody (413), a malformed request line
 * (400), a client too slow to send its headers (408 after Timeout), a missing Host on HTTP/1.1
 * (400). Each is logged and the server keeps serving.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rawRequest, startLiveServer, type LiveServer } from '../../helpers/live-server.js';

const CONFIG = `
Timeout 1
LimitRequestLine 200
LimitRequestFieldSize 100
LimitRequestFields 10
<Directory {{ROOT}}/htdocs/small>
  LimitRequestBody 16
</Directory>
`;

const statusOf = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);

describe('request limits and bad input', () => {
  let srv: LiveServer;
  before(async () => {
    srv = await startLiveServer({ config: CONFIG, files: { 'htdocs/ok.txt': 'ok', 'htdocs/small/target.txt': 'small' } });
  });
  after(async () => {
    await srv?.stop();
  });

  async function stillServing(): Promise<void> {
    const res = await fetch(srv.url('/ok.txt'));
    assert.equal(await res.text(), 'ok', 'the server keeps serving');
  }

  it('answers 414 for a request line over LimitRequestLine', async () => {
    const out = await rawRequest(srv.port, `GET /${'a'.repeat(300)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.equal(statusOf(out), 414);
    assert.match(out, /<title>414 Request-URI Too Long<\/title>/);
    assert.match(out, /\r\nConnection: close\r\n/i);
    await stillServing();
    await srv.waitForLog(/AH00565: request failed: client's request-line exceeds LimitRequestLine \(longer than 200\)/);
  });

  it('answers 400 for a header field over LimitRequestFieldSize', async () => {
    const out = await rawRequest(srv.port, `GET /ok.txt HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(150)}\r\n\r\n`);
    assert.equal(statusOf(out), 400);
    assert.match(out, /Size of a request header field exceeds server limit\./);
    await stillServing();
    await srv.waitForLog(/AH00561: Request header exceeds LimitRequestFieldSize: X-Big/);
  });

  it('answers 400 for more fields than LimitRequestFields', async () => {
    const fields = Array.from({ length: 12 }, (_, i) => `X-F${i}: ${i}\r\n`).join('');
    const out = await rawRequest(srv.port, `GET /ok.txt HTTP/1.1\r\nHost: x\r\n${fields}\r\n`);
    assert.equal(statusOf(out), 400);
    assert.match(out, /The number of request header fields exceeds this server's limit\./);
    await stillServing();
    await srv.waitForLog(/AH00563: Number of request headers exceeds LimitRequestFields/);
  });

  it('answers 413 for a body over LimitRequestBody', async () => {
    const res = await fetch(srv.url('/small/target.txt'), { method: 'POST', body: 'x'.repeat(100) });
    assert.equal(res.status, 413);
    assert.match(await res.text(), /does not allow request data with POST requests/);
    const within = await fetch(srv.url('/small/target.txt'), { method: 'POST', body: 'x'.repeat(10) });
    assert.equal(within.status, 200, 'a body within the limit is fine');
    await within.arrayBuffer();
    await srv.waitForLog(/Requested content-length of 100 is larger than the configured limit of 16/);
  });

  it('answers 400 for a malformed request and for HTTP/1.1 without Host', async () => {
    const garbage = await rawRequest(srv.port, 'GARBAGE\r\n\r\n');
    assert.equal(statusOf(garbage), 400);
    assert.match(garbage, /<h1>Bad Request<\/h1>/);
    const noHost = await rawRequest(srv.port, 'GET /ok.txt HTTP/1.1\r\nConnection: close\r\n\r\n');
    assert.equal(statusOf(noHost), 400);
    await stillServing();
    await srv.waitForLog(/AH00569: client sent HTTP\/1\.1 request without hostname/);
  });

  it('answers 408 to a client that does not finish its headers within Timeout', async () => {
    const started = Date.now();
    const out = await rawRequest(srv.port, 'GET /ok.txt HTTP/1.1\r\nHost: x\r\n', 5000);
    assert.equal(statusOf(out), 408);
    assert.match(out, /Server timeout waiting for the HTTP request from the client\./);
    assert.ok(Date.now() - started < 4000, 'within a few seconds of Timeout 1');
    await stillServing();
  });
});
