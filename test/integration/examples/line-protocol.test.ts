/**
 * The line-protocol example (examples/line-protocol): a PythonConnectionHandler on its own
 * Listen port speaks a non-HTTP protocol, keeps state across connections in its worker, and
 * the HTTP port beside it keeps serving HTTP.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT, startLiveServer } from '../../helpers/live-server.js';

const handler = readFileSync(join(REPO_ROOT, 'examples/line-protocol/handlers/kvstore.py'), 'utf8');

/** Sends `lines` on one connection and resolves with everything the server wrote until it closed. */
function converse(port: number, lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port });
    let got = '';
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => (got += d));
    sock.on('error', reject);
    sock.on('close', () => resolve(got));
    sock.on('connect', () => sock.write(lines.map((l) => l + '\n').join('')));
    setTimeout(() => sock.destroy(new Error(`no close after 10 s; got ${JSON.stringify(got)}`)), 10_000).unref();
  });
}

void test('a PythonConnectionHandler serves a line protocol and keeps state between connections', async (t) => {
  const srv = await startLiveServer({
    ports: 2,
    config: [
      'ModpyPoolDefaults processes=1',
      "PythonPath \"sys.path + ['{{ROOT}}/handlers']\"",
      '<VirtualHost 127.0.0.1:{{PORT1}}>',
      '  ServerName kv.localhost',
      '  PythonConnectionHandler kvstore',
      '</VirtualHost>',
    ].join('\n'),
    files: { 'handlers/kvstore.py': handler, 'htdocs/index.html': 'plain http\n' },
  });
  t.after(() => srv.stop());

  const first = await converse(srv.ports[1]!, ['SET colour blue', 'GET colour', 'GET shape', 'BOGUS', 'QUIT']);
  assert.equal(
    first,
    ['+READY kvstore on kv.localhost', '+OK', 'blue', '-ERR no such key', '-ERR unknown command or wrong arguments: BOGUS', '+BYE', ''].join('\r\n'),
    'each command gets its answer, and QUIT closes the connection',
  );

  const second = await converse(srv.ports[1]!, ['GET colour', 'COUNT', 'QUIT']);
  assert.match(second, /\r\nblue\r\n1\r\n\+BYE\r\n$/, 'a later connection sees the value stored by the first');

  const res = await fetch(srv.url('/index.html'));
  assert.equal(await res.text(), 'plain http\n', 'the other port still speaks HTTP');
});
