/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
/**
 * Differential check of mod_headers: each case is written as Apache `Header` lines and as the
 * HeaderOp list modpy's config loader produces; the X-* response headers (names, values, order)
 * must match the real Apache 2.4 for a 200 (err_headers_out then headers_out, as Apache merges
 * them) and for a 404 (err_headers_out only). Skipped when /usr/sbin/apache2 is not installed.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { HeaderOp } from '../../../src/config/types.js';
import { applyHeaderOps, createHeaderBag } from '../../../src/headers/apply.js';
import { apacheAvailable, useRealApache } from '../../helpers/real-apache.js';

const MODULES_USED = ['authz_core', 'alias', 'headers', 'setenvif'];
const available = apacheAvailable(MODULES_USED);

const source = { file: 'case', line: 1 };
const h = (action: HeaderOp['action'], name: string, value?: string, more: Partial<HeaderOp> = {}): HeaderOp => ({
  action,
  name,
  ...(value === undefined ? {} : { value }),
  condition: 'onsuccess',
  source,
  ...more,
});
const always = { condition: 'always' as const };

const CASES: { apache: string; ops: HeaderOp[] }[] = [
  { apache: 'Header set X-A one\nHeader append X-A two\nHeader append X-A three', ops: [h('set', 'X-A', 'one'), h('append', 'X-A', 'two'), h('append', 'X-A', 'three')] },
  { apache: 'Header merge X-M a\nHeader merge X-M a\nHeader merge X-M b', ops: [h('merge', 'X-M', 'a'), h('merge', 'X-M', 'a'), h('merge', 'X-M', 'b')] },
  { apache: 'Header add X-Add 1\nHeader add X-Add 2\nHeader always add X-Add 0', ops: [h('add', 'X-Add', '1'), h('add', 'X-Add', '2'), h('add', 'X-Add', '0', always)] },
  { apache: 'Header echo ^X-E\nHeader always echo ^X-In$', ops: [h('echo', '^X-E', undefined, { regex: /^X-E/ }), h('echo', '^X-In$', undefined, { regex: /^X-In$/, ...always })] },
  {
    apache: 'Header set X-Ed "hello world hello"\nHeader edit X-Ed hello bye\nHeader set X-Ed2 "hello world hello"\nHeader edit* X-Ed2 hello bye',
    ops: [h('set', 'X-Ed', 'hello world hello'), h('edit', 'X-Ed', 'bye', { regex: /hello/ }), h('set', 'X-Ed2', 'hello world hello'), h('edit', 'X-Ed2', 'bye', { regex: /hello/, global: true })],
  },
  {
    apache: 'Header set X-R "hello world"\nHeader edit X-R "^(\\w+) .*$" "[$1|$0|&|\\&|\\x|$$]"',
    ops: [h('set', 'X-R', 'hello world'), h('edit', 'X-R', '[$1|$0|&|\\&|\\x|$$]', { regex: /^(\w+) .*$/ })],
  },
  { apache: 'Header set X-Env "e=%{FLAG}e m=%{MISSING}e s=%{HTTPS}s pct=%%"', ops: [h('set', 'X-Env', 'e=%{FLAG}e m=%{MISSING}e s=%{HTTPS}s pct=%%')] },
  {
    apache: 'Header set X-If yes env=FLAG\nHeader set X-IfNot yes env=!FLAG\nHeader always set X-AIf yes env=FLAG',
    ops: [
      h('set', 'X-If', 'yes', { envCondition: { name: 'FLAG', negated: false } }),
      h('set', 'X-IfNot', 'yes', { envCondition: { name: 'FLAG', negated: true } }),
      h('set', 'X-AIf', 'yes', { envCondition: { name: 'FLAG', negated: false }, ...always }),
    ],
  },
  { apache: 'Header always set X-Both a\nHeader set X-Both b', ops: [h('set', 'X-Both', 'a', always), h('set', 'X-Both', 'b')] },
  { apache: 'Header always set X-U 1\nHeader always unset X-U\nHeader set X-V 1\nHeader unset X-V', ops: [h('set', 'X-U', '1', always), h('unset', 'X-U', undefined, always), h('set', 'X-V', '1'), h('unset', 'X-V')] },
];

/** The X-* response headers in arrival order, names lower-cased. */
function fetchHeaders(port: number, pathName: string, headers: Record<string, string>): Promise<[number, [string, string][]]> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathName, headers: { ...headers, Connection: 'close' }, agent: false }, (res) => {
      res.resume();
      const pairs: [string, string][] = [];
      for (let i = 0; i < res.rawHeaders.length; i += 2) {
        const name = (res.rawHeaders[i] as string).toLowerCase();
        if (name.startsWith('x-')) pairs.push([name, res.rawHeaders[i + 1] as string]);
      }
      res.on('end', () => resolve([res.statusCode ?? 0, pairs]));
    });
    req.on('error', reject);
    req.end();
  });
}

function ours(ops: HeaderOp[], status: number, requestHeaders: Record<string, string>, env: Record<string, string>): [string, string][] {
  const ctx = { env, headersIn: Object.entries(requestHeaders) };
  const err = createHeaderBag();
  applyHeaderOps(ops, 'always', err, ctx);
  const out = createHeaderBag();
  if (status < 400) applyHeaderOps(ops, 'onsuccess', out, ctx);
  return [...err.entries(), ...out.entries()].map(([n, v]) => [n.toLowerCase(), v]);
}

describe('Header directives match the real Apache 2.4 mod_headers', { skip: available ? false : 'apache2 not installed' }, () => {
  const apache = useRealApache('headers', MODULES_USED, (dir) => {
    CASES.forEach((_c, i) => {
      fs.mkdirSync(path.join(dir, `case${i}`));
      fs.writeFileSync(path.join(dir, `case${i}`, 'file.txt'), 'ok\n');
    });
    return [
      `DocumentRoot ${dir}`,
      `<Directory ${dir}>\n  Require all granted\n</Directory>`,
      'SetEnvIf X-Flag on FLAG=flagged',
      ...CASES.map((c, i) => `Alias /h${i} ${dir}/case${i}\n<Location /h${i}>\n${c.apache}\n</Location>`),
    ];
  });

  CASES.forEach((c, i) => {
    it(c.apache.replace(/\n/g, ' | '), async () => {
      for (const flagged of [false, true]) {
        const requestHeaders: Record<string, string> = { 'X-In': 'val', 'X-Echo': '1', 'X-E2': '2', 'x-e-lower': '3' };
        if (flagged) requestHeaders['X-Flag'] = 'on';
        const env: Record<string, string> = flagged ? { FLAG: 'flagged' } : {};
        for (const [file, expectStatus] of [['file.txt', 200], ['missing', 404]] as const) {
          const [status, theirs] = await fetchHeaders(apache.port, `/h${i}/${file}`, requestHeaders);
          assert.equal(status, expectStatus);
          assert.deepEqual(ours(c.ops, status, requestHeaders, env), theirs, `${file}${flagged ? ' with FLAG' : ''}`);
        }
      }
    });
  });
});
