/**
 * Direct writes (docs/protocol.md "Direct writes"): a large req.write goes from the worker
 * straight to the client's socket. Checked through the real server and real workers: the bytes
 * and their framing (Content-Length, chunked), order on a keep-alive connection with pipelined
 * requests, HEAD and Range (which must not be written past Node), a client that leaves
 * mid-body, the access log's byte count, and `direct-write=0`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startLiveServer, rawRequest, type LiveServer } from '../../helpers/live-server.js';

const MIB = 1024 * 1024;
/** The handlers' body: 1 MiB of a byte pattern, so a misplaced or lost piece shows. */
const BODY = Buffer.alloc(MIB);
for (let i = 0; i < MIB; i++) BODY[i] = (i * 7 + (i >> 12)) & 0xff;

const HANDLERS = [
  'from mod_python import apache',
  'BODY = bytes(((i * 7 + (i >> 12)) & 0xff) for i in range(1024 * 1024))',
  'def handler(req):',
  "    req.content_type = 'application/octet-stream'",
  '    req.set_content_length(len(BODY))',
  '    req.write(BODY)',
  '    return apache.OK',
  'def chunked(req):',
  "    req.content_type = 'application/octet-stream'",
  "    req.write(b'head-')",
  '    req.write(BODY)',
  "    req.write(b'-middle-')",
  '    req.write(BODY)',
  "    req.write(b'-tail:%d' % req.bytes_sent)",
  '    return apache.OK',
  'def small(req):',
  "    req.content_type = 'text/plain'",
  "    req.write('small', 0)",
  '    return apache.OK',
  'def stream(req):',
  "    req.content_type = 'application/octet-stream'",
  '    for _ in range(32):',
  '        req.write(BODY)',
  '    return apache.OK',
  'def sendfile(req):',
  "    req.content_type = 'application/octet-stream'",
  "    path = req.document_root() + '/../py/body.bin'",
  '    req.sendfile(path)',
  '    req.sendfile(path, 1000, 300000)',
  '    return apache.OK',
  'def echo(req):',
  '    body = req.read()',
  "    req.content_type = 'application/octet-stream'",
  '    req.set_content_length(len(body))',
  '    req.write(body)',
  '    return apache.OK',
  'def whole(req):',
  "    req.content_type = 'application/octet-stream'",
  '    req.write(BODY, 0)',
  '    return apache.OK',
  '',
].join('\n');

function site(extra = ''): string {
  return [
    'LogLevel debug',
    "LogFormat \"%r %>s %B out=%O in=%I port=%{remote}p\" bytes",
    'CustomLog logs/access_log bytes',
    extra,
    '<Location /big>',
    '  SetHandler mod_python',
    '  PythonPath "sys.path + [\'{{ROOT}}/py\']"',
    '  PythonHandler big',
    '</Location>',
    '<Location /big/chunked>',
    '  PythonHandler big::chunked',
    '</Location>',
    '<Location /big/small>',
    '  PythonHandler big::small',
    '</Location>',
    '<Location /big/stream>',
    '  PythonHandler big::stream',
    '</Location>',
    '<Location /big/sendfile>',
    '  PythonHandler big::sendfile',
    '</Location>',
    '<Location /big/echo>',
    '  PythonHandler big::echo',
    '</Location>',
    '<Location /big/whole>',
    '  PythonHandler big::whole',
    '</Location>',
  ].join('\n');
}

async function start(extra = ''): Promise<LiveServer> {
  return startLiveServer({ config: site(extra), files: { 'py/big.py': HANDLERS, 'py/body.bin': BODY } });
}

const DIRECT = /worker wrote (\d+) body bytes to the client directly/;

function directWrites(srv: LiveServer): number[] {
  return [...srv.errorLog().matchAll(new RegExp(DIRECT.source, 'g'))].map((m) => Number(m[1]));
}

/** Sends raw bytes and collects everything until the server closes, as a Buffer. */
async function rawBytes(port: number, data: string): Promise<Buffer> {
  return Buffer.from(await rawRequest(port, data, 20000), 'latin1');
}

void test('a 1 MiB body with Content-Length is written by the worker, byte for byte', async (t) => {
  const srv = await start();
  t.after(() => srv.stop());
  const res = await fetch(srv.url('/big'));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-length'), String(MIB));
  assert.ok(Buffer.from(await res.arrayBuffer()).equals(BODY), 'body intact');
  await srv.waitForLog(DIRECT);
  assert.deepEqual(directWrites(srv), [MIB]);
  const logged = /GET \/big HTTP\/1.1 200 1048576 out=(\d+)/;
  // %O counts what the worker wrote too: the head and the body.
  const out = Number(logged.exec(await srv.waitForAccessLog(logged))?.[1]);
  assert.ok(out > MIB + 100 && out < MIB + 1000, `%O ${out}`);
});

void test('%I and %O are per request on a keep-alive connection, as in httpd', async (t) => {
  const srv = await start();
  t.after(() => srv.stop());
  // One after the other on one kept-alive connection: each sent once the last was answered.
  await new Promise<void>((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port: srv.port });
    let answered = 0;
    let text = '';
    const send = () => sock.write('GET /big/small HTTP/1.1\r\nHost: x\r\n\r\n');
    sock.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      const done = text.split('\r\n\r\nsmall').length - 1;
      if (done === answered) return;
      answered = done;
      if (answered < 3) send();
      else sock.end(resolve);
    });
    sock.once('error', reject);
    send();
  });
  // Three whole lines of this format (the helper's `common` log shares the file).
  const line = /GET \/big\/small HTTP\/1.1 200 5 out=(\d+) in=(\d+) port=(\d+)\n/g;
  await srv.waitForAccessLog(new RegExp(`(?:${line.source}[\\s\\S]*?){3}`));
  const lines = [...srv.accessLog().matchAll(line)];
  assert.equal(lines.length, 3);
  assert.equal(new Set(lines.map((m) => m[3])).size, 1, 'one connection');
  // The same exchange each time: the same counts, never the connection's running total.
  assert.deepEqual(new Set(lines.map((m) => `${m[1]}/${m[2]}`)).size, 1, lines.map((m) => m[0]).join('\n'));
});

void test('chunked: direct chunks and framed pieces interleave in order; bytes_sent counts both', async (t) => {
  const srv = await start();
  t.after(() => srv.stop());
  const res = await fetch(srv.url('/big/chunked'));
  assert.equal(res.headers.get('transfer-encoding'), 'chunked');
  const body = Buffer.from(await res.arrayBuffer());
  const sent = 5 + MIB + 8 + MIB;
  const expected = Buffer.concat([Buffer.from('head-'), BODY, Buffer.from('-middle-'), BODY, Buffer.from(`-tail:${sent}`)]);
  assert.equal(body.length, expected.length);
  assert.ok(body.equals(expected), 'pieces in order, chunk framing removed by the client');
  await srv.waitForAccessLog(/GET \/big\/chunked HTTP\/1.1 200 \d+/);
  assert.match(srv.accessLog(), new RegExp(`GET /big/chunked HTTP/1.1 200 ${expected.length}`));
  assert.deepEqual(directWrites(srv), [MIB, MIB]);
});

void test('req.sendfile of a large file goes to the client by sendfile(2) from the worker', async (t) => {
  const srv = await start();
  t.after(() => srv.stop());
  const res = await fetch(srv.url('/big/sendfile'));
  assert.equal(res.headers.get('transfer-encoding'), 'chunked');
  const body = Buffer.from(await res.arrayBuffer());
  assert.ok(body.equals(Buffer.concat([BODY, BODY.subarray(1000, 301000)])), 'both ranges, in order');
  await srv.waitForAccessLog(/GET \/big\/sendfile HTTP\/1.1 200 1348576/);
  assert.deepEqual(directWrites(srv), [MIB, 300000]);
});

void test('pipelined requests on one connection: each response whole and in order', async (t) => {
  const srv = await start();
  t.after(() => srv.stop());
  const get = (path: string, close = false) => `GET ${path} HTTP/1.1\r\nHost: x\r\n${close ? 'Connection: close\r\n' : ''}\r\n`;
  const raw = await rawBytes(srv.port, get('/big') + get('/big/small') + get('/big') + get('/big/small', true));
  let at = 0;
  const next = (): { head: string; body: Buffer } => {
    const end = raw.indexOf('\r\n\r\n', at);
    assert.ok(end > 0, 'a response head');
    const head = raw.subarray(at, end).toString('latin1');
    const length = Number(/content-length: (\d+)/i.exec(head)?.[1]);
    const body = raw.subarray(end + 4, end + 4 + length);
    at = end + 4 + length;
    return { head, body };
  };
  for (let i = 0; i < 2; i++) {
    const big = next();
    assert.match(big.head, /^HTTP\/1.1 200/);
    assert.ok(big.body.equals(BODY), `big body ${i} intact`);
    const small = next();
    assert.match(small.head, /^HTTP\/1.1 200/);
    assert.equal(small.body.toString(), 'small');
  }
  assert.equal(at, raw.length, 'nothing after the last response');
});

void test('HEAD and Range are answered through Node (nothing is written past it)', async (t) => {
  const srv = await start();
  t.after(() => srv.stop());
  const head = await rawRequest(srv.port, 'HEAD /big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.match(head, /^HTTP\/1.1 200/);
  assert.match(head, /Content-Length: 1048576/i);
  assert.ok(head.endsWith('\r\n\r\n'), 'no body after the head');
  // Apache cuts a range from handler output whose length is known at the end (write(data, 0)).
  const range = await fetch(srv.url('/big/whole'), { headers: { Range: 'bytes=1000-1999' } });
  assert.equal(range.status, 206);
  assert.ok(Buffer.from(await range.arrayBuffer()).equals(BODY.subarray(1000, 2000)));
  await srv.waitForAccessLog(/GET \/big\/whole HTTP\/1.1 206 1000/);
  assert.deepEqual(directWrites(srv), [], 'neither took the socket');
});

void test('a client that leaves mid-body costs only its own response', async (t) => {
  const srv = await start();
  t.after(() => srv.stop());
  await new Promise<void>((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port: srv.port });
    let got = 0;
    sock.on('data', (d: Buffer) => {
      got += d.length;
      if (got > 64 * 1024) sock.destroy();
    });
    sock.once('close', () => resolve());
    sock.once('error', reject);
    // 32 MiB: more than the socket buffers hold, so the client leaves while the body is being written.
    sock.write('GET /big/stream HTTP/1.1\r\nHost: x\r\n\r\n');
  });
  // Either the worker's write breaks off, or the server sees the client gone before it lends the
  // socket again.
  await srv.waitForLog(/before the write broke off|MPY0028: client went away/);
  // The worker and the server go on serving.
  for (let i = 0; i < 3; i++) {
    const res = await fetch(srv.url('/big'));
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(BODY));
  }
});

void test('concurrent POSTs on one worker: requests that run nested inside another\'s call all finish', async (t) => {
  // Small POST bodies ride with request.begin, so a worker begins several requests before
  // running any, and runs a later one's code inside an earlier one's server call. Each wants
  // the socket lent; one worker holds one lent socket at a time, the others use frames.
  const srv = await start('ModpyPoolDefaults direct-write=65536 processes=1');
  t.after(() => srv.stop());
  const bodies = Array.from({ length: 24 }, (_, i) => BODY.subarray(i * 1000, i * 1000 + 65536));
  const answers = await Promise.all(
    bodies.map(async (body) => {
      const res = await fetch(srv.url('/big/echo'), { method: 'POST', body, signal: AbortSignal.timeout(20000) });
      return Buffer.from(await res.arrayBuffer());
    }),
  );
  answers.forEach((got, i) => assert.ok(got.equals(bodies[i] as Buffer), `echo ${i} intact`));
  assert.ok(directWrites(srv).length > 0, 'some went direct');
});

void test('direct-write=0 sends every body through frames', async (t) => {
  const srv = await start('ModpyPoolDefaults direct-write=0');
  t.after(() => srv.stop());
  const res = await fetch(srv.url('/big'));
  assert.ok(Buffer.from(await res.arrayBuffer()).equals(BODY));
  await srv.waitForAccessLog(/GET \/big HTTP\/1.1 200 1048576/);
  assert.deepEqual(directWrites(srv), []);
});
