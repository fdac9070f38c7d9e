/**
 * AddDefaultCharset adds its charset to text/plain and text/html responses that name none —
 * static files and handler output alike — and leaves other types and explicit charsets alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startLiveServer } from '../../helpers/live-server.js';

void test('AddDefaultCharset applies to text/plain and text/html without a charset', async (t) => {
  const srv = await startLiveServer({
    config: [
      '<Directory {{ROOT}}/htdocs>',
      '  AddDefaultCharset utf-8',
      '</Directory>',
      '<Directory {{ROOT}}/htdocs/py>',
      '  SetHandler mod_python',
      '  PythonHandler typed',
      '</Directory>',
    ].join('\n'),
    files: {
      'htdocs/a.txt': 'plain\n',
      'htdocs/b.html': '<p>html</p>\n',
      'htdocs/c.css': 'p {}\n',
      'htdocs/py/typed.py': [
        'from mod_python import apache',
        'def handler(req):',
        "    req.content_type = req.args or 'text/html'",
        "    req.write('x')",
        '    return apache.OK',
        '',
      ].join('\n'),
    },
  });
  t.after(() => srv.stop());
  const type = async (path: string) => (await fetch(srv.url(path))).headers.get('content-type');
  assert.equal(await type('/a.txt'), 'text/plain; charset=utf-8', 'static text/plain');
  assert.equal(await type('/b.html'), 'text/html; charset=utf-8', 'static text/html');
  assert.equal(await type('/c.css'), 'text/css', 'other types untouched');
  assert.equal(await type('/py/x'), 'text/html; charset=utf-8', 'handler output');
  assert.equal(await type('/py/x?text/plain;charset=latin-1'), 'text/plain;charset=latin-1', 'an explicit charset wins');
});
