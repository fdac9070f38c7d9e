/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
import assert from 'node:assert/strict';
import dns from 'node:dns/promises';
import { describe, it } from 'node:test';
import { hostMatches, lookupClientHost } from '../../../src/auth/host-lookup.js';

describe('hostMatches', () => {
  const table: [host: string, pattern: string, expected: boolean][] = [
    ['example.org', 'example.org', true],
    ['www.example.org', 'example.org', true],
    ['WWW.Example.ORG.', '.example.org', true],
    ['badexample.org', 'example.org', false],
    ['example.org.evil.net', 'example.org', false],
    ['a.b.example.org', 'b.example.org', true],
  ];
  for (const [host, pattern, expected] of table) {
    it(`${host} vs ${pattern} → ${expected}`, () => assert.equal(hostMatches(host, pattern), expected));
  }
});

describe('lookupClientHost', () => {
  it('confirms 127.0.0.1 by reverse then forward lookup (as /etc/hosts says)', async (t) => {
    const expected = await dns.lookupService('127.0.0.1', 0).then((r) => r.hostname, () => null);
    if (!expected || expected === '127.0.0.1') return t.skip('this machine has no name for 127.0.0.1');
    assert.equal(await lookupClientHost('127.0.0.1'), expected.toLowerCase());
  });
  it('gives null for an address without a confirmed name, within the timeout', async () => {
    const started = Date.now();
    assert.equal(await lookupClientHost('192.0.2.77', 500), null); // TEST-NET-1: never has a PTR
    assert.ok(Date.now() - started < 1500);
  });
});
