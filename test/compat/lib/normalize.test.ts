/** Unit tests for compat/lib/normalize: what two servers may legitimately differ in is removed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeText, type NormContext } from './normalize.js';

const ctx: NormContext = {
  literals: [['/tmp/site-x/apache/var', 'VAR'], ['/tmp/site-x/apache', 'SERVERDIR'], ['/tmp/site-x/site', 'SITE']],
  ports: [[41234, 'PORT'], [41235, 'PORT2']],
};

void test('ports become names, but only as whole numbers', () => {
  assert.equal(normalizeText('http://127.0.0.1:41234/a and 412345 and 41235', ctx), 'http://127.0.0.1:PORT/a and 412345 and PORT2');
});

void test('the longest path wins, so the var dir is not reported as the server dir', () => {
  assert.equal(normalizeText('/tmp/site-x/apache/var/s and /tmp/site-x/apache/logs', ctx), 'VAR/s and SERVERDIR/logs');
});

void test('the Apache signature line keeps only the host name', () => {
  const body = '<hr>\n<address>Apache/2.4.71 (Debian) mod_python/3.5 Server at 127.0.0.1 Port 41234</address>\n';
  assert.equal(normalizeText(body, ctx), '<hr>\n<address>SIGNATURE at 127.0.0.1</address>\n');
});

void test('HTTP dates in both cookie and header formats, and 32-hex ids, are masked', () => {
  assert.equal(normalizeText('expires=Tue, 14-Nov-2023 22:13:20 GMT', ctx), 'expires=HTTP-DATE');
  assert.equal(normalizeText('Mon, 01 Jan 2024 00:00:00 GMT', ctx), 'HTTP-DATE');
  assert.equal(normalizeText('pysid=0123456789abcdef0123456789abcdef; path=/', ctx), 'pysid=HEX32; path=/');
});

void test('a 64-hex value is not mistaken for one id', () => {
  const v = 'a'.repeat(64);
  assert.equal(normalizeText(v, ctx), v);
});
