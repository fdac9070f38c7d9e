/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { authorize, decideAccess, needsUser, requireLines, validateRequire, type AuthzFacts } from '../../../src/auth/require.js';
import type { DirConfig, LimitedRequire, RequireExpr } from '../../../src/config/types.js';
import { ModpyError } from '../../../src/errors.js';
import { assertConfigError, load } from '../config/helpers.js';

const source = { file: 'site.conf', line: 7 };
const GROUPS = fileURLToPath(new URL('./fixtures/groups.txt', import.meta.url));

// Tiny builders so each case reads like the configuration it stands for.
const r = (provider: string, ...args: string[]): RequireExpr => ({ kind: 'require', negated: false, provider, args, source });
const not = (provider: string, ...args: string[]): RequireExpr => ({ kind: 'require', negated: true, provider, args, source });
const all = (...children: RequireExpr[]): RequireExpr => ({ kind: 'all', children, source });
const any = (...children: RequireExpr[]): RequireExpr => ({ kind: 'any', children, source });
const none = (...children: RequireExpr[]): RequireExpr => ({ kind: 'none', children, source });
const lines = (...exprs: RequireExpr[]): LimitedRequire[] => exprs.map((expr) => ({ methods: null, except: false, expr }));
const dirWith = (require: LimitedRequire[]): DirConfig => ({ require, authGroupFile: GROUPS });

const facts = (over: Partial<AuthzFacts> = {}): AuthzFacts => ({ method: 'GET', clientIp: '10.1.2.3', user: null, env: {}, remoteHost: null, ...over });

describe('authorize', () => {
  const table: [what: string, require: LimitedRequire[], over: Partial<AuthzFacts>, expected: string][] = [
    ['no Require at all', [], {}, 'granted'],
    ['Require all granted', lines(r('all', 'granted')), {}, 'granted'],
    ['Require all denied', lines(r('all', 'denied')), {}, 'denied'],
    ['Require ip, matching', lines(r('ip', '10.1')), {}, 'granted'],
    ['Require ip, not matching', lines(r('ip', '192.168.0.0/16')), {}, 'denied'],
    ['Require local from 127.0.0.1', lines(r('local')), { clientIp: '127.0.0.1' }, 'granted'],
    ['Require valid-user, nobody yet', lines(r('valid-user')), {}, 'auth-required'],
    ['Require valid-user, alice', lines(r('valid-user')), { user: 'alice' }, 'granted'],
    ['Require user bob, alice', lines(r('user', 'bob', 'carol')), { user: 'alice' }, 'denied'],
    ['Require user bob, bob', lines(r('user', 'bob', 'carol')), { user: 'bob' }, 'granted'],
    ['Require group admins, alice', lines(r('group', 'admins')), { user: 'alice' }, 'granted'],
    ['Require group admins, carol', lines(r('group', 'admins')), { user: 'carol' }, 'denied'],
    ['Require group staff, nobody yet', lines(r('group', 'staff')), {}, 'auth-required'],
    ['Require env, set', lines(r('env', 'A', 'LETMEIN')), { env: { LETMEIN: '' } }, 'granted'],
    ['Require env, unset', lines(r('env', 'LETMEIN')), {}, 'denied'],
    ['Require method GET, HEAD counts as GET', lines(r('method', 'GET')), { method: 'HEAD' }, 'granted'],
    ['Require method GET, POST', lines(r('method', 'GET')), { method: 'POST' }, 'denied'],
    ['Require host, confirmed name in domain', lines(r('host', 'example.org')), { remoteHost: 'www.Example.org' }, 'granted'],
    ['Require host, lookalike domain', lines(r('host', 'example.org')), { remoteHost: 'badexample.org' }, 'denied'],
    ['Require host, no name', lines(r('host', 'example.org')), { remoteHost: null }, 'denied'],
    // Several lines at one level combine as RequireAny.
    ['ip OR valid-user, from the network', lines(r('ip', '10.0.0.0/8'), r('valid-user')), {}, 'granted'],
    ['ip OR valid-user, from outside', lines(r('ip', '192.168.0.1'), r('valid-user')), {}, 'auth-required'],
    ['ip OR valid-user, from outside, with user', lines(r('ip', '192.168.0.1'), r('valid-user')), { user: 'x' }, 'granted'],
    // RequireAll: every child must grant; a plain denial beats a missing user.
    ['All(ip ok, valid-user), no user', lines(all(r('ip', '10.0.0.0/8'), r('valid-user'))), {}, 'auth-required'],
    ['All(ip ok, valid-user), user', lines(all(r('ip', '10.0.0.0/8'), r('valid-user'))), { user: 'u' }, 'granted'],
    ['All(ip bad, valid-user), no user', lines(all(r('ip', '192.168.0.1'), r('valid-user'))), {}, 'denied'],
    ['All(valid-user, ip bad): order does not matter', lines(all(r('valid-user'), r('ip', '192.168.0.1'))), {}, 'denied'],
    // Negation: "not" can deny, never grant on its own.
    ['All(all granted, not ip) from that ip', lines(all(r('all', 'granted'), not('ip', '10.1.2.3'))), {}, 'denied'],
    ['All(all granted, not ip) from elsewhere', lines(all(r('all', 'granted'), not('ip', '10.1.2.3'))), { clientIp: '10.0.0.1' }, 'granted'],
    ['All(not ip) only: never grants', lines(all(not('ip', '192.168.0.1'))), {}, 'denied'],
    ['All(valid-user, not user bob), bob', lines(all(r('valid-user'), not('user', 'bob'))), { user: 'bob' }, 'denied'],
    ['All(valid-user, not user bob), alice', lines(all(r('valid-user'), not('user', 'bob'))), { user: 'alice' }, 'granted'],
    // RequireNone: any granting child denies; otherwise neutral.
    ['All(all granted, None(ip, env)) matching ip', lines(all(r('all', 'granted'), none(r('ip', '10.1'), r('env', 'BAD')))), {}, 'denied'],
    ['All(all granted, None(ip, env)) nothing matches', lines(all(r('all', 'granted'), none(r('ip', '192.168.0.1'), r('env', 'BAD')))), {}, 'granted'],
    ['None alone is never a grant', lines(none(r('ip', '192.168.0.1'))), {}, 'denied'],
    // Nested Any inside All.
    ['All(Any(user a, group admins), ip), bob', lines(all(any(r('user', 'a'), r('group', 'admins')), r('ip', '10.0.0.0/8'))), { user: 'bob' }, 'granted'],
    ['All(Any(user a, group admins), ip), carol', lines(all(any(r('user', 'a'), r('group', 'admins')), r('ip', '10.0.0.0/8'))), { user: 'carol' }, 'denied'],
  ];
  for (const [what, require, over, expected] of table) {
    it(`${what} → ${expected}`, async () => {
      assert.equal(await authorize(dirWith(require), facts(over)), expected);
    });
  }
});

describe('AuthType without any Require', () => {
  it('is a 500 (MPY_ERR_AUTH_NO_REQUIRE), as httpd answers with AH01627', async () => {
    await assert.rejects(authorize({ authType: 'Basic' }, facts()), (err: unknown) => err instanceof ModpyError && err.code === 'MPY_ERR_AUTH_NO_REQUIRE' && err.status === 500);
  });
  it('but a Require limited to other methods still grants', async () => {
    const dir: DirConfig = { authType: 'Basic', require: [{ methods: ['POST'], except: false, expr: r('valid-user') }] };
    assert.equal(await authorize(dir, facts({ method: 'GET' })), 'granted');
  });
});

describe('<Limit>/<LimitExcept> scoping', () => {
  const dir = dirWith([
    { methods: ['POST', 'PUT'], except: false, expr: r('valid-user') },
    { methods: ['GET'], except: true, expr: r('user', 'admin') },
  ]);
  const table: [method: string, expected: string, lines: string[]][] = [
    ['GET', 'granted', []],
    ['HEAD', 'granted', []],
    ['POST', 'auth-required', ['valid-user', 'user admin']],
    ['DELETE', 'auth-required', ['user admin']],
  ];
  for (const [method, expected, expectedLines] of table) {
    it(`${method} → ${expected}, requires() = ${JSON.stringify(expectedLines)}`, async () => {
      assert.equal(await authorize(dir, facts({ method })), expected);
      assert.deepEqual(requireLines(dir, method), expectedLines);
      assert.equal(needsUser(dir, method), expectedLines.length > 0);
    });
  }
});

describe('requireLines', () => {
  it('flattens containers and keeps "not"', () => {
    const dir = dirWith(lines(r('valid-user'), all(r('group', 'a', 'b'), not('user', 'x')), r('ip', '10.1')));
    assert.deepEqual(requireLines(dir, 'GET'), ['valid-user', 'group a b', 'not user x', 'ip 10.1']);
  });
  it('is empty without Require', () => assert.deepEqual(requireLines({}, 'GET'), []));
});

describe('bad Require lines fail with MPY_ERR_AUTH_BAD_REQUIRE and the file:line', () => {
  const table: [RequireExpr, RegExp][] = [
    [r('expr', '%{REMOTE_ADDR} == "1.2.3.4"'), /expressions .* not supported/],
    [r('ldap-user', 'x'), /unknown authorization provider/],
    [r('all', 'maybe'), /'granted' or 'denied'/],
    [r('user'), /at least one argument/],
    [all(r('ip', 'nonsense')), /Require ip nonsense/],
    [any(r('valid-user'), not('ip', '10.1')), /negative Require directive has no effect in <RequireAny> directive/],
    [any(r('all', 'granted'), none(r('ip', '10.1'))), /<RequireNone> directive has no effect in <RequireAny> directive/],
    [all(not('ip', '10.1'), none(r('env', 'X'))), /<RequireAll> directive contains only negative authorization directives/],
    [all(r('all', 'granted'), none(r('ip', '10.1'), not('ip', '10.2'))), /negative Require directive has no effect in <RequireNone> directive/],
  ];
  for (const [expr, message] of table) {
    it(`${message.source}`, async () => {
      const check = (err: unknown): boolean => err instanceof ModpyError && err.code === 'MPY_ERR_AUTH_BAD_REQUIRE' && message.test(err.message);
      assert.throws(() => validateRequire(expr), check);
      if (expr.kind === 'require' && expr.provider !== 'all' && expr.provider !== 'user') {
        await assert.rejects(authorize(dirWith(lines(expr)), facts()), check);
      }
    });
  }
  // A directory's Require lines are checked by the configuration loader as it reads them.
  it('a top-level "Require not" is refused: it sits in the implicit <RequireAny>', async () => {
    await assertConfigError('<Directory /x>\nRequire valid-user\nRequire not user bob\n</Directory>', { line: 3, message: /negative Require directive has no effect in <RequireAny>/ });
    await assertConfigError('<Directory /x>\n<RequireNone>\nRequire ip 10.1\n</RequireNone>\n</Directory>', { line: 2, message: /<RequireNone> directive has no effect in <RequireAny>/ });
    const cfg = await load('<Directory /x>\nRequire valid-user\n<RequireAll>\nRequire valid-user\nRequire not user bob\n</RequireAll>\n</Directory>');
    assert.deepEqual(cfg.main.sections[0]?.config.require?.map((l) => l.expr.kind), ['require', 'all']);
  });
  it('names the file and line', () => {
    assert.throws(() => validateRequire(r('expr', 'x')), /site\.conf:7/);
  });
});

describe('decideAccess', () => {
  const limited = (methods: string[], except: boolean, expr: RequireExpr): LimitedRequire => ({ methods, except, expr });
  it('decides at once, without a promise, when no rule needs I/O', () => {
    const cases: [what: string, require: LimitedRequire[], method: string, over: Partial<AuthzFacts>, expected: string][] = [
      ['Require all granted', lines(r('all', 'granted')), 'GET', {}, 'granted'],
      ['Require all denied', lines(r('all', 'denied')), 'GET', {}, 'denied'],
      ['Require all DENIED twice', lines(r('all', 'DENIED'), r('All', 'denied')), 'GET', {}, 'denied'],
      ['denied, then granted', lines(r('all', 'denied'), r('all', 'granted')), 'GET', {}, 'granted'],
      ['<Limit POST> denied, for GET', [limited(['POST'], false, r('all', 'denied'))], 'GET', {}, 'granted'],
      ['<Limit POST> denied, for POST', [limited(['POST'], false, r('all', 'denied'))], 'POST', {}, 'denied'],
      ['<LimitExcept GET> denied, for HEAD', [limited(['GET'], true, r('all', 'denied'))], 'HEAD', {}, 'granted'],
      ['Require ip', lines(r('ip', '10.1')), 'GET', {}, 'granted'],
      ['All(all granted, not ip)', lines(all(r('all', 'granted'), not('ip', '10.9'))), 'GET', {}, 'granted'],
      ['denied, then valid-user', lines(r('all', 'denied'), r('valid-user')), 'GET', {}, 'auth-required'],
      ['Require env, set', lines(r('env', 'LETMEIN')), 'GET', { env: { LETMEIN: '1' } }, 'granted'],
      ['Require host with the name known', lines(r('host', 'example.org')), 'GET', { remoteHost: 'www.example.org' }, 'granted'],
      ['a grant settles before a group rule', lines(r('all', 'granted'), r('group', 'admins')), 'GET', { user: 'alice' }, 'granted'],
      ['a denial settles <RequireAll> before a group rule', lines(all(r('ip', '192.168.0.0/16'), r('group', 'admins'))), 'GET', { user: 'alice' }, 'denied'],
    ];
    for (const [what, require, method, over, expected] of cases) {
      assert.equal(decideAccess(dirWith(require), facts({ ...over, method })), expected, what);
    }
  });
  it('gives a promise from the first rule that needs I/O, and evaluates the rest after it', async () => {
    const groupThenIp = (ip: string) => dirWith(lines(all(r('group', 'admins'), r('ip', ip))));
    const granted = decideAccess(groupThenIp('10.0.0.0/8'), facts({ user: 'alice' }));
    assert.ok(granted instanceof Promise, 'a group file is read');
    assert.equal(await granted, 'granted');
    assert.equal(await decideAccess(groupThenIp('192.168.0.0/16'), facts({ user: 'alice' })), 'denied', 'the ip after the group still counts');
    assert.equal(await decideAccess(dirWith(lines(none(r('group', 'admins')), r('all', 'granted'))), facts({ user: 'alice' })), 'granted', 'then the next line');
  });
  it('throws MPY_ERR_AUTH_NO_REQUIRE at once for AuthType alone (authorize() rejects with it)', () => {
    assert.throws(() => decideAccess({ authType: 'Basic' }, facts()), (err: unknown) => err instanceof ModpyError && err.code === 'MPY_ERR_AUTH_NO_REQUIRE');
  });
});
