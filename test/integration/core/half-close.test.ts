/**
 * A client that sends pipelined requests and half-closes its side (`nc` does) makes Node abort the
 * requests still queued behind the first. Each of them must still finish in the server (logged,
 * its worker freed): a queued response that never learnt its connection closed used to wait for
 * 'finish' forever, and held a graceful stop until its timeout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startLiveServer } from '../../helpers/live-server.js';

void test('pipelined requests aborted by a half-close are still finished and logged', async (t) => {
  const srv = await startLiveServer({
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
  t.after(() => srv.stop());
  await new Promise<void>((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port: srv.port });
    sock.on('data', () => {});
    sock.once('error', reject);
    sock.once('close', () => resolve());
    const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`;
    sock.end(get('/py/first') + get('/py/second') + get('/py/third'));
  });
  await srv.waitForAccessLog(/GET \/py\/third /);
  await srv.waitForAccessLog(/GET \/py\/second /);
  await srv.waitForAccessLog(/GET \/py\/first /);
  // And the server still answers.
  const res = await fetch(srv.url('/py/after'));
  assert.equal(await res.text(), 'done /py/after');
});
