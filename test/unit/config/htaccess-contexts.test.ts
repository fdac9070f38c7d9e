/**
 * Every sampled directive alone in an .htaccess, under each AllowOverride class, is accepted or
 * rejected as httpd 2.4.71 + mod_python 3.5 did (fixtures/apache-htaccess.txt was recorded by
 * requesting a file below each such .htaccess from the real server and reading its error log).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseHtaccess } from '../../../src/config/htaccess.js';
import type { OverrideClass } from '../../../src/config/types.js';
import { load } from './helpers.js';

const ALL: OverrideClass[] = ['AuthConfig', 'FileInfo', 'Indexes', 'Limit', 'Options'];

function overridesFor(cls: string): Set<OverrideClass> {
  if (cls === 'All') return new Set(ALL);
  if (cls === 'Unset') return new Set();
  assert.ok((ALL as string[]).includes(cls), `unknown class ${cls}`);
  return new Set([cls as OverrideClass]);
}

const rows = readFileSync(new URL('./fixtures/apache-htaccess.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => l.split('|') as [string, string, string]);

void test(`${rows.length} .htaccess directive/override pairs match httpd`, async () => {
  const cfg = await load('');
  const mismatches: string[] = [];
  for (const [cls, directive, expected] of rows) {
    let got = 'OK';
    try {
      await parseHtaccess(cfg, `${directive}\n`, '/site/d/.htaccess', '/site/d/', overridesFor(cls), undefined);
    } catch (err) {
      got = (err as Error).message;
    }
    if (got !== expected) mismatches.push(`${cls} | ${directive}: expected "${expected}", got "${got}"`);
  }
  assert.deepEqual(mismatches, []);
});
