/**
 * A static answer carries one Content-Length, the length of what it sends, even when the
 * response headers already hold one (here from `Header set` and `Header always set`, one per
 * table): two differing lengths would
 * leave the client to guess where the body ends.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rawRequest, startLiveServer } from '../../helpers/live-server.js';

const lengths = (response: string): string[] =>
  response
    .split('\r\n\r\n')[0]!
    .split('\r\n')
    .filter((line) => /^content-length:/i.test(line))
    .map((line) => line.slice(line.indexOf(':') + 1).trim());

void test('small file, OPTIONS and a directory listing each send one Content-Length of their own body', async (t) => {
  const srv = await startLiveServer({
    config: [
      '<Directory {{ROOT}}/htdocs>',
      '  Options +Indexes',
      '  Header set Content-Length 3',
      '  Header always set Content-Length 4',
      '</Directory>',
    ].join('\n'),
    files: { 'htdocs/a.txt': 'hello\n', 'htdocs/list/b.txt': 'b\n' },
  });
  t.after(() => srv.stop());
  const ask = (line: string) => rawRequest(srv.port, `${line} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);

  const file = await ask('GET /a.txt');
  assert.match(file, /^HTTP\/1\.1 200/);
  assert.deepEqual(lengths(file), ['6'], 'the file');
  assert.ok(file.endsWith('\r\n\r\nhello\n'));

  const options = await ask('OPTIONS /a.txt');
  assert.deepEqual(lengths(options), ['0'], 'OPTIONS');

  const listing = await ask('GET /list/');
  assert.match(listing, /^HTTP\/1\.1 200/);
  const body = listing.slice(listing.indexOf('\r\n\r\n') + 4);
  assert.deepEqual(lengths(listing), [String(Buffer.byteLength(body, 'latin1'))], 'the listing');
});

void test('a static file through a Python output filter sends the filtered length only', async (t) => {
  const srv = await startLiveServer({
    config: [
      'PythonPath "sys.path+[\'{{ROOT}}/py\']"',
      'PythonOutputFilter grow::outputfilter GROW',
      '<Directory {{ROOT}}/htdocs>',
      '  Header set Content-Length 3',
      '  Header always set Content-Length 4',
      '  AddOutputFilter GROW .txt',
      '</Directory>',
    ].join('\n'),
    files: {
      'htdocs/a.txt': 'hello\n',
      // Doubles every byte: the body the client gets is twice the file.
      'py/grow.py': 'def outputfilter(filter):\n    s = filter.read()\n    while s:\n        filter.write(s + s)\n        s = filter.read()\n    if s is None:\n        filter.close()\n',
    },
  });
  t.after(() => srv.stop());
  const file = await rawRequest(srv.port, 'GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.match(file, /^HTTP\/1\.1 200/);
  assert.ok(file.endsWith('\r\n\r\nhello\nhello\n'), 'the filter ran');
  assert.deepEqual(lengths(file), ['12'], "the filtered body's length, not the file's or the tables'");
});
