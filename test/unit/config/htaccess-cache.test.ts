/**
 * The .htaccess caches: a missing file is trusted missing for ABSENT_TTL_MS (documented with
 * AccessFileName), and the parse-cache key is spelled out once per granted override set.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ABSENT_TTL_MS, forgetAbsent, knownAbsent, rememberAbsent } from '../../../src/config/htaccess-absent.js';
import { grantKey } from '../../../src/config/htaccess.js';
import type { OverrideClass } from '../../../src/config/types.js';

void test('a missing .htaccess is remembered for ABSENT_TTL_MS, then looked for again', () => {
  const path = `/nowhere/${process.pid}/.htaccess`;
  assert.equal(knownAbsent(path, 1_000), false);
  rememberAbsent(path, 1_000);
  assert.equal(knownAbsent(path, 1_000 + ABSENT_TTL_MS - 1), true);
  assert.equal(knownAbsent(path, 1_000 + ABSENT_TTL_MS), false);
  rememberAbsent(path, 5_000);
  forgetAbsent(path);
  assert.equal(knownAbsent(path, 5_000), false, 'a file found again is forgotten at once');
});

void test('the grant key names the classes (in any order) and the Options= list', () => {
  const options = ['Indexes'];
  const a = grantKey(new Set<OverrideClass>(['Options', 'AuthConfig']), options);
  assert.equal(a, 'AuthConfig,Options|Indexes');
  assert.equal(grantKey(new Set<OverrideClass>(['AuthConfig', 'Options']), ['Indexes']), a, 'equal grants, equal keys');
  assert.equal(grantKey(new Set<OverrideClass>(['AuthConfig']), undefined), 'AuthConfig|*');
  assert.equal(grantKey(new Set<OverrideClass>(), undefined), '|*');
});

void test('the key of one granted set is built once (the same string comes back)', () => {
  const granted = new Set<OverrideClass>(['FileInfo']);
  const options = ['Indexes', 'MultiViews'];
  const first = grantKey(granted, options);
  // Strings carry no identity to compare; a key built again would come from the set's current
  // content, so changing the set after the first call shows the cached key is returned.
  (granted as Set<OverrideClass>).add('Limit');
  assert.equal(grantKey(granted, options), first);
});
