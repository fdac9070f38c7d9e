/** User/Group are accepted (existing httpd.conf files load) but not applied: a start-up warning says so. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigFromText } from '../../../src/config/load.js';

void test('User and Group load, and each leaves a warning that it is not applied', async () => {
  const cfg = await loadConfigFromText('ServerName x\nDocumentRoot /tmp\nUser www-data\nGroup www-data\n', {
    virtualFile: '/etc/site.conf',
    serverRoot: '/tmp',
  });
  const mine = cfg.warnings.filter((w) => /^(User|Group) www-data \(\/etc\/site\.conf:[34]\) is not applied/.test(w));
  assert.equal(mine.length, 2, cfg.warnings.join('\n'));
});

void test('without User/Group there is no such warning', async () => {
  const cfg = await loadConfigFromText('ServerName x\nDocumentRoot /tmp\n', { virtualFile: '/etc/site.conf', serverRoot: '/tmp' });
  assert.ok(!cfg.warnings.some((w) => /is not applied/.test(w)));
});
