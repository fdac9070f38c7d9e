/**
 * ScriptAlias maps to CGI programs. modpy runs no CGI programs (mod_cgi), and it must never
 * send such a program's source (Apache without mod_cgi does: its secrets would leak): 403 and
 * a log line saying why. A plain Alias to the same directory still serves files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startLiveServer } from '../../helpers/live-server.js';

void test('a file under ScriptAlias is refused, not sent; an Alias to the same files serves them', async (t) => {
  const srv = await startLiveServer({
    config: [
      'ScriptAlias /cgi-bin/ {{ROOT}}/cgi/',
      'ScriptAliasMatch ^/scripts/(.*) {{ROOT}}/cgi/$1',
      'Alias /plain/ {{ROOT}}/cgi/',
      '<Directory {{ROOT}}/cgi>',
      '  Require all granted',
      '</Directory>',
    ].join('\n'),
    files: { 'cgi/s.cgi': '#!/bin/sh\nDBPASS=hunter2\n', 'htdocs/index.html': 'home\n' },
  });
  t.after(() => srv.stop());

  for (const path of ['/cgi-bin/s.cgi', '/scripts/s.cgi']) {
    const res = await fetch(srv.url(path));
    const body = await res.text();
    assert.equal(res.status, 403, `${path} is refused`);
    assert.ok(!body.includes('hunter2'), `${path}: the program's source is not sent`);
  }
  await srv.waitForLog(/s\.cgi is under a ScriptAlias, but modpy does not run CGI programs/);

  const plain = await fetch(srv.url('/plain/s.cgi'));
  assert.equal(plain.status, 200, 'an Alias (not ScriptAlias) still maps to files');
});
