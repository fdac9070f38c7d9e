/**
 * Every sampled directive in every context (server, <VirtualHost>, <Directory>, <Location>,
 * <Files>) is accepted or rejected exactly as /usr/sbin/apache2 -t did, with the same message.
 * The expected results in fixtures/apache-contexts.txt were recorded from the real httpd.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadConfigFromText } from '../../../src/config/load.js';

const wrap: Record<string, (d: string) => string> = {
  server: (d) => d,
  vhost: (d) => `<VirtualHost *:80>\n${d}\n</VirtualHost>`,
  dir: (d) => `<Directory /tmp>\n${d}\n</Directory>`,
  loc: (d) => `<Location /x>\n${d}\n</Location>`,
  files: (d) => `<Files x>\n${d}\n</Files>`,
};

const rows = readFileSync(new URL('./fixtures/apache-contexts.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => l.split('|') as [string, string, string]);

void test(`${rows.length} directive/context pairs match apache2 -t`, async () => {
  const mismatches: string[] = [];
  for (const [ctx, directive, expected] of rows) {
    const wrapper = wrap[ctx];
    assert.ok(wrapper, `unknown context ${ctx}`);
    let got = 'Syntax OK';
    try {
      await loadConfigFromText(`ServerName main.test\nListen 127.0.0.1:18997\n${wrapper(directive)}\n`, { virtualFile: '/v.conf', serverRoot: '/tmp' });
    } catch (err) {
      got = (err as Error).message;
    }
    if (got !== expected) mismatches.push(`${ctx} | ${directive}: expected "${expected}", got "${got}"`);
  }
  assert.deepEqual(mismatches, []);
});
