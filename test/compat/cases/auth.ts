/**
 * @module compat/cases/auth — Basic authentication with AuthUserFile (bcrypt, apr1, SHA1,
 * crypt), Require user/valid-user/group/ip/all, 401/403, and what Python handlers see of it.
 */
import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { CaseGroup, CompatCase, CompatRequest } from '../lib/case.js';
import { dedent, moduleName, py } from './helpers.js';

const basic = (user: string, pw: string): Record<string, string> => ({ Authorization: 'Basic ' + Buffer.from(`${user}:${pw}`, 'latin1').toString('base64') });

// One user per hash format Apache accepts. apr1 and crypt values were made once with htpasswd.
const HTPASSWD = [
  `alice:${bcrypt.hashSync('alicepw', 5).replace(/^\$2b\$/, '$2y$')}`,
  `bob:{SHA}${createHash('sha1').update('bobpw').digest('base64')}`,
  'carol:$apr1$JDoUm7ah$guh8xKK.I0iHxKE2/VrLv.',
  'dave:c3rtm4.I5yZa6',
].join('\n') + '\n';

const GROUPS = 'admins: alice carol\nstaff: bob\n';

const AUTH = (require: string): string => dedent(`
  AuthType Basic
  AuthName "Compat Area"
  AuthUserFile \${SITE}/htpasswd
  AuthGroupFile \${SITE}/htgroups
  ${require}
`);

function guarded(name: string, require: string, requests: CompatRequest[], extra: Partial<CompatCase> = {}): CompatCase {
  return {
    name,
    area: 'auth',
    conf: `<Directory \${CASE}>\n${AUTH(require)}</Directory>\n`,
    files: { 'page.txt': 'protected page\n' },
    requests,
    ...extra,
  };
}

const cases: CompatCase[] = [
  guarded('auth-valid-user', 'Require valid-user', [
    { path: '@/page.txt', status: 401 },
    { path: '@/page.txt', headers: basic('alice', 'alicepw'), status: 200 },
    { path: '@/page.txt', headers: basic('alice', 'wrong'), status: 401 },
    { path: '@/page.txt', headers: basic('nobody', 'x'), status: 401 },
  ]),
  guarded('auth-hash-formats', 'Require valid-user', [
    { path: '@/page.txt', headers: basic('bob', 'bobpw'), status: 200 },
    { path: '@/page.txt', headers: basic('carol', 'carolpw'), status: 200 },
    { path: '@/page.txt', headers: basic('dave', 'davepw'), status: 200 },
    { path: '@/page.txt', headers: basic('carol', 'bobpw'), status: 401 },
  ]),
  guarded('auth-require-user', 'Require user alice', [
    { path: '@/page.txt', headers: basic('alice', 'alicepw'), status: 200 },
    { path: '@/page.txt', headers: basic('bob', 'bobpw'), status: 401 },
  ]),
  guarded('auth-require-group', 'Require group admins', [
    { path: '@/page.txt', headers: basic('carol', 'carolpw'), status: 200 },
    { path: '@/page.txt', headers: basic('bob', 'bobpw'), status: 401 },
  ]),
  guarded('auth-malformed-header', 'Require valid-user', [
    { path: '@/page.txt', headers: { Authorization: 'Basic !!!notbase64' }, status: 401 },
    { path: '@/page.txt', headers: { Authorization: 'Digest username="x"' }, status: 401 },
  ]),
  {
    name: 'auth-require-ip',
    area: 'auth',
    conf: '<Directory ${CASE}/local>\n  Require ip 127.0.0.1\n</Directory>\n<Directory ${CASE}/remote>\n  Require ip 10.9.8.7\n</Directory>\n<Directory ${CASE}/notlocal>\n  <RequireAll>\n    Require all granted\n    Require not ip 127.0.0.1\n  </RequireAll>\n</Directory>\n',
    files: { 'local/a.txt': 'local ok\n', 'remote/a.txt': 'remote\n', 'notlocal/a.txt': 'x\n' },
    requests: [{ path: '@/local/a.txt', status: 200 }, { path: '@/remote/a.txt', status: 403 }, { path: '@/notlocal/a.txt', status: 403 }],
  },
  {
    name: 'auth-require-any-of',
    area: 'auth',
    conf: `<Directory \${CASE}>\n${AUTH('<RequireAny>\n    Require ip 10.9.8.7\n    Require user bob\n  </RequireAny>')}</Directory>\n`,
    files: { 'a.txt': 'any of\n' },
    requests: [{ path: '@/a.txt', status: 401 }, { path: '@/a.txt', headers: basic('bob', 'bobpw'), status: 200 }],
  },
  py('auth-python-sees-user', 'auth', `
    def handler(req):
        req.content_type = 'text/plain'
        req.write('user=%r type=%r name=%r' % (req.user, req.ap_auth_type, req.auth_name()), 0)
        return apache.OK
  `, [{ path: '@/x', headers: basic('alice', 'alicepw'), status: 200, bodyHas: "user='alice'" }, { path: '@/x', status: 401 }], { dir: AUTH('Require valid-user') }),
  py('auth-python-authen-handler', 'auth', `
    def authenhandler(req):
        pw = req.get_basic_auth_pw()
        if req.user == 'py' and pw == 'thon':
            return apache.OK
        return apache.HTTP_UNAUTHORIZED
    def handler(req):
        req.content_type = 'text/plain'
        req.write('authenticated %s' % req.user, 0)
        return apache.OK
  `, [
    { path: '@/x', headers: basic('py', 'thon'), status: 200, bodyHas: 'authenticated py' },
    { path: '@/x', headers: basic('py', 'wrong'), status: 401 },
    { path: '@/x', status: 401 },
    { path: '@/x', headers: basic('alice', 'alicepw'), status: 200, bodyHas: 'authenticated alice' },
  ], {
    // mod_auth_basic checks the file first; AuthBasicAuthoritative Off lets unknown users reach Python.
    dir: `  AuthType Basic\n  AuthName "Py Realm"\n  AuthUserFile \${SITE}/htpasswd\n  AuthBasicAuthoritative Off\n  Require valid-user\n  PythonAuthenHandler ${moduleName('auth-python-authen-handler')}`,
  }),
];

export const authGroup: CaseGroup = { name: 'auth', files: { htpasswd: HTPASSWD, htgroups: GROUPS }, cases };
