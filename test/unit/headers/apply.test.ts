/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HeaderOp } from '../../../src/config/types.js';
import { ModpyError } from '../../../src/errors.js';
import { applyHeaderOps, compileHeaderOp, createHeaderBag, type HeaderContext } from '../../../src/headers/apply.js';

const source = { file: 'site.conf', line: 3 };
const op = (action: HeaderOp['action'], name: string, value?: string, more: Partial<HeaderOp> = {}): HeaderOp => ({
  action,
  name,
  ...(value === undefined ? {} : { value }),
  condition: 'onsuccess',
  source,
  ...more,
});
const ctx: HeaderContext = {
  headersIn: [['X-Echo', '1'], ['X-E2', '2a'], ['X-E2', '2b'], ['X-Other', '3']],
  env: { HTTPS: 'on', EVIL: 'a\r\nSet-Cookie: x=1' },
  requestStartUs: 1_795_567_766_635_306,
};
const run = (ops: HeaderOp[], initial: [string, string][] = [], target: 'onsuccess' | 'always' | 'early' = 'onsuccess', c = ctx): [string, string][] => {
  const bag = createHeaderBag(initial);
  applyHeaderOps(ops, target, bag, c);
  return bag.entries();
};

describe('applyHeaderOps: actions (outputs checked against Apache 2.4 mod_headers)', () => {
  const table: [string, HeaderOp[], [string, string][], [string, string][]][] = [
    ['set replaces every existing value', [op('set', 'X-A', 'new')], [['x-a', '1'], ['Y', 'y'], ['X-A', '2']], [['x-a', 'new'], ['Y', 'y']]],
    ['set adds when absent', [op('set', 'X-A', 'v')], [], [['X-A', 'v']]],
    ['append joins with ", "', [op('append', 'X-App', 'one'), op('append', 'X-App', 'two')], [], [['X-App', 'one, two']]],
    ['merge skips a token already present', [op('merge', 'X-Mer', 'a'), op('merge', 'X-Mer', 'a'), op('merge', 'X-Mer', 'b')], [], [['X-Mer', 'a, b']]],
    ['merge compares whole tokens', [op('merge', 'Cache-Control', 'no-cache')], [['Cache-Control', 'no-cache-ish, "no-cache"']], [['Cache-Control', 'no-cache-ish, "no-cache", no-cache']]],
    ['add keeps both', [op('add', 'X-Add', '1'), op('add', 'X-Add', '2')], [], [['X-Add', '1'], ['X-Add', '2']]],
    ['unset removes all, any case', [op('unset', 'set-cookie')], [['Set-Cookie', 'a'], ['X', 'x'], ['SET-COOKIE', 'b']], [['X', 'x']]],
    ['edit replaces the first match', [op('edit', 'X-Ed', 'bye', { regex: /hello/ })], [['X-Ed', 'hello world hello']], [['X-Ed', 'bye world hello']]],
    ['edit* replaces every match', [op('edit', 'X-Ed', 'bye', { regex: /hello/, global: true })], [['X-Ed', 'hello world hello']], [['X-Ed', 'bye world bye']]],
    ['edit uses $0/$1 like ap_pregsub; & is literal', [op('edit', 'X-Ed', '[$1|$0|&|\\&|\\x]', { regex: /^(\w+) .*$/ })], [['X-Ed', 'hello world']], [['X-Ed', '[hello|hello world|&|&|x]']]],
    ['edit of an absent header does nothing', [op('edit', 'X-None', '[$1]', { regex: /^(.*)$/ })], [], []],
    ['edit applies to each value', [op('edit', 'Set-Cookie', '$1; Secure', { regex: /^(.*)$/ })], [['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2']], [['Set-Cookie', 'a=1; Secure'], ['Set-Cookie', 'b=2; Secure']]],
    ['echo copies matching request headers', [op('echo', '^X-E')], [], [['X-Echo', '1'], ['X-E2', '2a'], ['X-E2', '2b']]],
    ['%{VAR}e, %{VAR}s and %%', [op('set', 'X-Env', 'e=%{HTTPS}e m=%{MISSING}e s=%{SSL_PROTOCOL}s pct=%%')], [], [['X-Env', 'e=on m=(null) s=(null) pct=%']]],
    ['%t is t=<µs>', [op('set', 'X-T', '%t')], [], [['X-T', 't=1795567766635306']]],
    ['interpolated env cannot inject a header line', [op('set', 'X-Evil', '%{EVIL}e')], [], [['X-Evil', 'a Set-Cookie: x=1']]],
    ['env=VAR applies only when set', [op('set', 'X-C', 'yes', { envCondition: { name: 'HTTPS', negated: false } }), op('set', 'X-D', 'yes', { envCondition: { name: 'NOPE', negated: false } })], [], [['X-C', 'yes']]],
    ['env=!VAR applies only when unset', [op('set', 'X-C', 'yes', { envCondition: { name: 'NOPE', negated: true } }), op('set', 'X-D', 'yes', { envCondition: { name: 'HTTPS', negated: true } })], [], [['X-C', 'yes']]],
  ];
  for (const [what, ops, initial, expected] of table) {
    it(what, () => assert.deepEqual(run(ops, initial), expected));
  }

  it('%D is the time since the request started', () => {
    const [[, value]] = run([op('set', 'X-D', '%D')], [], 'onsuccess', { ...ctx, requestStartUs: Date.now() * 1000 - 5000 }) as [[string, string]];
    const us = Number(value.slice(2));
    assert.ok(value.startsWith('D=') && us >= 5000 && us < 5_000_000, value);
  });

  it('echo keeps the client spelling of headers_in names and matches case-sensitively', () => {
    const headersIn: [string, string][] = [['X-Echo', '1'], ['x-e-lower', '2']];
    assert.deepEqual(run([op('echo', '^X-E')], [], 'onsuccess', { ...ctx, headersIn }), [['X-Echo', '1']]);
  });
});

describe('applyHeaderOps: which table', () => {
  const ops = [op('set', 'X-Success', '1'), op('set', 'X-Always', '1', { condition: 'always' }), op('set', 'X-Early', '1', { early: true })];
  it('onsuccess applies only onsuccess ops', () => assert.deepEqual(run(ops), [['X-Success', '1']]));
  it('always applies only always ops', () => assert.deepEqual(run(ops, [], 'always'), [['X-Always', '1']]));
  it('early applies only early ops', () => assert.deepEqual(run(ops, [], 'early'), [['X-Early', '1']]));
});

describe('bad Header ops are refused with MPY_ERR_HEADERS_BAD_OP', () => {
  const table: [HeaderOp, RegExp][] = [
    [op('set', 'X', undefined), /a value is required/],
    [op('edit', 'X', 'r'), /edit needs a regular expression/],
    [op('set', 'X', '%Q'), /unrecognized header format %Q/],
    [op('set', 'X', '%{X-In}i'), /scoreboard idle/],
    [op('set', 'X', '%b'), /scoreboard busy/],
    [op('set', 'X', '%{VAR'), /unterminated/],
    [op('set', 'X', '%{}e'), /%e needs a variable name/],
    [op('set', 'X', 'expr=%{REQUEST_URI}'), /expr= values/],
    [op('echo', '(unclosed'), /not a valid regular expression/],
  ];
  for (const [bad, message] of table) {
    it(`${bad.action} ${bad.name} ${bad.value ?? ''} → ${message.source}`, () => {
      const check = (err: unknown): boolean => err instanceof ModpyError && err.code === 'MPY_ERR_HEADERS_BAD_OP' && message.test(err.message);
      // (File and line are added by the directive: see the configuration-load test below.)
      assert.throws(() => compileHeaderOp(bad), check);
    });
  }
  it('a trailing lone % is literal, as in Apache', () => assert.deepEqual(run([op('set', 'X', '100%')]), [['X', '100%']]));
});

describe('ops are compiled once, the patterns too', () => {
  it('the same compiled op serves every request; edit* carries the g flag, edit does not', async () => {
    const { compileHeaderOp } = await import('../../../src/headers/apply.js');
    const first = op('edit', 'X-Ed', 'bye', { regex: /hello/ });
    const every = op('edit', 'X-Ed', 'bye', { regex: /hello/g, global: true });
    assert.equal(compileHeaderOp(first), compileHeaderOp(first));
    assert.equal(compileHeaderOp(first).regex?.flags, '');
    assert.equal(compileHeaderOp(every).regex?.flags, 'g');
    // The global pattern is reused: a second request still replaces from the start.
    for (let i = 0; i < 2; i++) assert.deepEqual(run([every], [['X-Ed', 'hello hello']]), [['X-Ed', 'bye bye']]);
    // A g flag written on an `edit` op does not turn it into edit*.
    assert.deepEqual(run([op('edit', 'X-Ed', 'bye', { regex: /hello/g })], [['X-Ed', 'hello hello']]), [['X-Ed', 'bye hello']]);
  });

  it('the Header directive compiles at configuration load: a bad format fails there, with file and line', async () => {
    const { loadConfigFromText } = await import('../../../src/config/load.js');
    await assert.rejects(loadConfigFromText('ServerName a\n\nHeader set X-A "%Q"\n', { virtualFile: '/v.conf', serverRoot: '/tmp' }), {
      code: 'MPY_ERR_CONFIG_BAD_ARGUMENT',
      message: 'Header set X-A: unrecognized header format %Q',
      file: '/v.conf',
      line: 3,
    });
  });
});
