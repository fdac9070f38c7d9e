/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileIpMatcher, isLoopback } from '../../../src/auth/ip-match.js';
import { ModpyError } from '../../../src/errors.js';

describe('Require ip address forms', () => {
  const table: [rule: string, ip: string, expected: boolean][] = [
    ['10.1.2.3', '10.1.2.3', true],
    ['10.1.2.3', '10.1.2.4', false],
    ['10.1', '10.1.200.9', true],
    ['10.1', '10.10.0.1', false],
    ['10.1.', '10.1.0.1', true],
    ['10', '10.255.0.1', true],
    ['192.168.0.0/16', '192.168.44.1', true],
    ['192.168.0.0/16', '192.169.0.1', false],
    ['172.16.0.0/255.240.0.0', '172.31.1.1', true],
    ['172.16.0.0/255.240.0.0', '172.32.1.1', false],
    ['0.0.0.0/0', '8.8.8.8', true],
    ['10.0.0.0/8', '::ffff:10.9.8.7', true], // IPv4-mapped client
    ['2001:db8::/32', '2001:db8:1::5', true],
    ['2001:db8::/32', '2001:db9::5', false],
    ['::1', '::1', true],
    ['::1', '127.0.0.1', false],
    ['10.0.0.0/8', 'not-an-ip', false],
  ];
  for (const [rule, ip, expected] of table) {
    it(`${rule} ${expected ? 'matches' : 'does not match'} ${ip}`, () => {
      assert.equal(compileIpMatcher(rule.split(' ')).matches(ip), expected);
    });
  }

  it('several arguments: any of them', () => {
    const m = compileIpMatcher(['10.0.0.0/8', '127.0.0.1', '::1']);
    assert.equal(m.matches('127.0.0.1'), true);
    assert.equal(m.matches('::1'), true);
    assert.equal(m.matches('11.0.0.1'), false);
  });

  for (const bad of ['example.com', '10.0.0.0/33', '10.0.0.0/255.0.255.0', '300.1', 'fe80::/200', '1.2.3.4/abc']) {
    it(`rejects "${bad}" with MPY_ERR_AUTH_BAD_REQUIRE`, () => {
      assert.throws(() => compileIpMatcher([bad]), (err: unknown) => err instanceof ModpyError && err.code === 'MPY_ERR_AUTH_BAD_REQUIRE' && err.message.includes(bad));
    });
  }

  it('Require local: loopback addresses', () => {
    assert.deepEqual(['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1', '10.0.0.1', '::2'].map(isLoopback), [true, true, true, true, false, false]);
  });
});
