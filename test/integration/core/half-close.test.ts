/**
 * A client that sends pipelined requests and half-closes its side (`printf … | nc` does) gets
 * every answer, in order, then the connection closes — as from Apache. (Node's default ends the
 * socket at once: the answers were lost, and a queued response, never told its connection had
 * closed, waited for 'finish' forever and held a graceful stop until its timeout.) And when the
 * client drops the connection under queued requests, each of them still finishes in the server.
 * Many requests queued on one connection share one watch on it (no MaxListenersExceededWarning).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { rawRequest, startLiveServer, type LiveServer } from '../../helpers/live-server.js';

async function slowSite() {
  return startLiveServer({
    config: [
      'LogFormat "%r %>s" short',
      'CustomLog logs/access_log short',
      '<Location /py>',
      '  SetHandler mod_python',
      '  PythonPath "sys.path + [\'{{ROOT}}/py\']"',
      '  PythonHandler slow',
      '</Location>',
    ].join('\n'),
    files: {
      'py/slow.py': [
        'import time',
        'from mod_python import apache',
        'def handler(req):',
        '    time.sleep(0.05)',
        "    req.write('done ' + req.uri)",
        '    return apache.OK',
        '',
      ].join('\n'),
    },
  });
}

/** Each request was logged (it finished in the server), and the server still answers. */
async function finishedAndStillServing(srv: LiveServer, paths: string[]): Promise<void> {
  for (const path of paths) await srv.waitForAccessLog(new RegExp(`GET ${path.replace(/\//g, '\\/')} `));
  const res = await fetch(srv.url('/py/after'));
  assert.equal(await res.text(), 'done /py/after');
}

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`;

void test('pipelined requests from a half-closed client are all answered and logged', async (t) => {
  const srv = await slowSite();
  t.after(() => srv.stop());
  const answer = await new Promise<string>((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port: srv.port, allowHalfOpen: true });
    const chunks: Buffer[] = [];
    sock.on('data', (d: Buffer) => chunks.push(d));
    sock.once('error', reject);
    sock.once('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    sock.end(get('/py/first') + get('/py/second') + get('/py/third'));
  });
  const bodies = [...answer.matchAll(/done \/py\/\w+/g)].map((m) => m[0]);
  assert.deepEqual(bodies, ['done /py/first', 'done /py/second', 'done /py/third']);
  await finishedAndStillServing(srv, ['/py/first', '/py/second', '/py/third']);
});

void test('requests queued on a connection the client drops still finish and are logged', async (t) => {
  const srv = await slowSite();
  t.after(() => srv.stop());
  await new Promise<void>((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port: srv.port });
    sock.once('error', reject);
    sock.once('close', () => resolve());
    // Half-closed first, then gone while the first request still runs.
    sock.end(get('/py/one') + get('/py/two') + get('/py/three'), () => setTimeout(() => sock.destroy(), 20));
  });
  await finishedAndStillServing(srv, ['/py/one', '/py/two', '/py/three']);
});

void test('many pipelined requests to a slow handler all share one close watch on the connection', async (t) => {
  const srv = await slowSite();
  t.after(() => srv.stop());
  const paths = Array.from({ length: 14 }, (_, i) => `/py/p${i}`);
  const answer = await rawRequest(srv.port, paths.map(get).join('') + `GET /py/last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 15000);
  const bodies = [...answer.matchAll(/done \/py\/\w+/g)].map((m) => m[0]);
  assert.deepEqual(bodies, [...paths, '/py/last'].map((p) => `done ${p}`));
  // Each queued response once added its own 'close' listener to the socket: the 11th warned.
  assert.doesNotMatch(srv.output(), /MaxListenersExceededWarning/);
});

void test('requests pipelined after one that says Connection: close are ignored; that one is answered', async (t) => {
  const srv = await slowSite();
  t.after(() => srv.stop());
  const answer = await rawRequest(srv.port, `GET /py/one HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n` + get('/py/two') + get('/py/three'));
  assert.match(answer, /^HTTP\/1.1 200 OK/);
  assert.equal([...answer.matchAll(/HTTP\/1.1 /g)].length, 1, 'one answer');
  assert.match(answer, /done \/py\/one\r\n0\r\n\r\n$/);
  // Nothing after it ran: a request made once the answer is in ends after any that were
  // (wrongly) started with it, so their lines would be in the log by the time its own is.
  await srv.waitForAccessLog(/GET \/py\/one /);
  assert.equal((await fetch(srv.url('/py/after'))).status, 200);
  await srv.waitForAccessLog(/GET \/py\/after /);
  assert.doesNotMatch(srv.accessLog(), /\/py\/(two|three)/);
});
