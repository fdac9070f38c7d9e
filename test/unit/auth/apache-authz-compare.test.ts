/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * Differential check of authentication + authorization: each case is written twice — as the
 * Apache configuration text and as the RequireExpr tree modpy's config loader produces — and every
 * request (method × credentials × env) must get the same outcome (granted / 401 / 403) from the
 * real Apache 2.4 and from authorize() + authenticateBasic() run in Apache's order
 * (access_checker_ex without a user, then check_user_id, then auth_checker with the user).
 * Skipped when /usr/sbin/apache2 is not installed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { authenticateBasic } from '../../../src/auth/basic.js';
import { authorize } from '../../../src/auth/require.js';
import type { DirConfig, LimitedRequire, RequireExpr } from '../../../src/config/types.js';
import { apacheAvailable, useRealApache } from '../../helpers/real-apache.js';

const MODULES_USED = ['authz_core', 'authz_host', 'authz_user', 'authz_groupfile', 'authn_core', 'authn_file', 'auth_basic', 'alias', 'setenvif'];
const available = apacheAvailable(MODULES_USED);
const USERS = fileURLToPath(new URL('./fixtures/users.htpasswd', import.meta.url));
const GROUPS = fileURLToPath(new URL('./fixtures/groups.txt', import.meta.url));

const source = { file: 'case', line: 1 };
const r = (provider: string, ...args: string[]): RequireExpr => ({ kind: 'require', negated: false, provider, args, source });
const not = (provider: string, ...args: string[]): RequireExpr => ({ kind: 'require', negated: true, provider, args, source });
const all = (...children: RequireExpr[]): RequireExpr => ({ kind: 'all', children, source });
const any = (...children: RequireExpr[]): RequireExpr => ({ kind: 'any', children, source });
const none = (...children: RequireExpr[]): RequireExpr => ({ kind: 'none', children, source });
const plain = (...exprs: RequireExpr[]): LimitedRequire[] => exprs.map((expr) => ({ methods: null, except: false, expr }));

interface Case {
  apache: string;
  require: LimitedRequire[];
}

const CASES: Case[] = [
  { apache: 'Require valid-user', require: plain(r('valid-user')) },
  { apache: 'Require user bob', require: plain(r('user', 'bob')) },
  { apache: 'Require group admins', require: plain(r('group', 'admins')) },
  { apache: 'Require ip 127.0.0.1\nRequire valid-user', require: plain(r('ip', '127.0.0.1'), r('valid-user')) },
  { apache: 'Require ip 10.0.0.0/8\nRequire valid-user', require: plain(r('ip', '10.0.0.0/8'), r('valid-user')) },
  { apache: '<RequireAll>\nRequire valid-user\nRequire not user bob\n</RequireAll>', require: plain(all(r('valid-user'), not('user', 'bob'))) },
  { apache: '<RequireAll>\nRequire ip 10.0.0.0/8\nRequire valid-user\n</RequireAll>', require: plain(all(r('ip', '10.0.0.0/8'), r('valid-user'))) },
  { apache: '<RequireAll>\nRequire all granted\n<RequireNone>\nRequire env LETMEIN\n</RequireNone>\n</RequireAll>', require: plain(all(r('all', 'granted'), none(r('env', 'LETMEIN')))) },
  { apache: 'Require env LETMEIN', require: plain(r('env', 'LETMEIN')) },
  { apache: '<Limit POST>\nRequire valid-user\n</Limit>', require: [{ methods: ['POST'], except: false, expr: r('valid-user') }] },
  { apache: '<LimitExcept GET>\nRequire user alice\n</LimitExcept>', require: [{ methods: ['GET'], except: true, expr: r('user', 'alice') }] },
  { apache: 'Require method GET', require: plain(r('method', 'GET')) },
  { apache: 'Require all denied', require: plain(r('all', 'denied')) },
  {
    apache: '<RequireAny>\n<RequireAll>\nRequire group staff\nRequire not user carol\n</RequireAll>\nRequire user frank\n</RequireAny>',
    require: plain(any(all(r('group', 'staff'), not('user', 'carol')), r('user', 'frank'))),
  },
  { apache: '<RequireAll>\nRequire valid-user\nRequire env LETMEIN\n</RequireAll>', require: plain(all(r('valid-user'), r('env', 'LETMEIN'))) },
  { apache: '# AuthType Basic but no Require at all', require: [] },
  { apache: 'Require host localhost', require: plain(r('host', 'localhost')) },
  { apache: 'Require host example.org\nRequire user alice', require: plain(r('host', 'example.org'), r('user', 'alice')) },
];

const CREDENTIALS: [string, string | null][] = [
  ['no credentials', null],
  ['alice (bcrypt)', 'alice:wonder land'],
  ['bob (apr1)', 'bob:b0b-secret'],
  ['carol ({SHA})', 'carol:carol:pw'],
  ['ivy (SHA-512-crypt)', 'ivy:sha512-pass'],
  ['alice, wrong password', 'alice:wrong'],
  ['unknown user', 'mallory:x'],
];

type Outcome = 'granted' | '401' | '403' | '500' | string;

function outcome(status: number): Outcome {
  return status === 401 || status === 403 || status === 500 ? String(status) : status < 500 ? 'granted' : `status ${status}`;
}

/** modpy's decision, in the order Apache's hooks run. */
async function ours(c: Case, method: string, authorization: string | undefined, env: Record<string, string>): Promise<Outcome> {
  const dir: DirConfig = { authType: 'Basic', authName: 'T', authUserFile: USERS, authGroupFile: GROUPS, require: c.require };
  const base = { method, clientIp: '127.0.0.1', env }; // no remoteHost: `Require host` looks it up
  const first = await authorize(dir, { ...base, user: null }).catch((err: { status?: number }) => String(err.status));
  if (first === '500') return '500';
  if (first === 'denied') return '403';
  if (first === 'granted') return 'granted';
  const authn = await authenticateBasic(dir, authorization);
  if (!authn.ok) return '401';
  return (await authorize(dir, { ...base, user: authn.user })) === 'granted' ? 'granted' : '401';
}

function request(port: number, pathName: string, method: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathName, method, headers: { ...headers, Connection: 'close' }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('authentication and Require decisions match the real Apache 2.4', { skip: available ? false : 'apache2 not installed' }, () => {
  const apache = useRealApache('authz', MODULES_USED, (dir) => {
    fs.writeFileSync(path.join(dir, 'file.txt'), 'ok\n');
    for (const f of [USERS, GROUPS]) fs.copyFileSync(f, path.join(dir, path.basename(f)));
    return [
      `DocumentRoot ${dir}`,
      'SetEnvIf X-Let-Me-In yes LETMEIN',
      ...CASES.map(
        (c, i) =>
          `Alias /case${i} ${dir}/file.txt\n<Location /case${i}>\nAuthType Basic\nAuthName T\n` +
          `AuthUserFile ${dir}/users.htpasswd\nAuthGroupFile ${dir}/groups.txt\n${c.apache}\n</Location>`,
      ),
    ];
  });

  CASES.forEach((c, i) => {
    it(c.apache.replace(/\n/g, ' | '), async () => {
      const mismatches: string[] = [];
      for (const method of ['GET', 'POST']) {
        for (const letMeIn of [false, true]) {
          for (const [who, cred] of CREDENTIALS) {
            const headers: Record<string, string> = {};
            if (cred !== null) headers.Authorization = `Basic ${Buffer.from(cred).toString('base64')}`;
            if (letMeIn) headers['X-Let-Me-In'] = 'yes';
            const theirs = outcome(await request(apache.port, `/case${i}`, method, headers));
            const mine = await ours(c, method, headers.Authorization, letMeIn ? { LETMEIN: 'yes' } : {});
            if (theirs !== mine) mismatches.push(`${method} ${who}${letMeIn ? ' +LETMEIN' : ''}: apache ${theirs}, modpy ${mine}`);
          }
        }
      }
      assert.deepEqual(mismatches, []);
    });
  });
});
