/* eslint-disable @typescript-eslint/no-floating-promises -- node:test tracks describe/it promises itself */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AliasRule, RedirectRule } from '../../../src/config/types.js';
import { escapePath, matchAlias, matchRedirect, prefixLength, substitute, translateUri } from '../../../src/pipeline/translate.js';

const src = { file: 'test.conf', line: 1 };
const abs = (p: string) => `http://h${p}`;

describe('translate', () => {
  it('matches URL-path prefixes only at segment boundaries', () => {
    assert.equal(prefixLength('/img', '/img'), 4);
    assert.equal(prefixLength('/img/x', '/img'), 4);
    assert.equal(prefixLength('/imgs', '/img'), -1);
    assert.equal(prefixLength('/img/x', '/img/'), 5);
  });

  it('substitutes $n and keeps \\$ literal', () => {
    const m = /^\/(\w+)\/(\d+)$/.exec('/a/42') as RegExpExecArray;
    assert.equal(substitute('/x/$2/$1/\\$9', m), '/x/42/a/$9');
  });

  it('escapes redirect paths like Apache', () => assert.equal(escapePath('/a b/é'), '/a%20b/%C3%A9'));

  it('applies Redirect with the rest of the path and the query string', () => {
    const rules: RedirectRule[] = [{ kind: 'redirect', status: 302, from: '/old', to: '/new', source: src }];
    assert.deepEqual(matchRedirect(rules, '/old/x', 'q=1', abs), { kind: 'redirect', status: 302, location: 'http://h/new/x?q=1' });
    assert.equal(matchRedirect(rules, '/older', null, abs), null);
  });

  it('applies RedirectMatch and gone (410, no Location)', () => {
    const rules: RedirectRule[] = [
      { kind: 'redirectmatch', status: 301, from: '^/p/(\\d+)$', regex: /^\/p\/(\d+)$/, to: 'https://x/$1', source: src },
      { kind: 'redirect', status: 410, from: '/gone', to: null, source: src },
    ];
    assert.deepEqual(matchRedirect(rules, '/p/7', null, abs), { kind: 'redirect', status: 301, location: 'https://x/7' });
    assert.deepEqual(matchRedirect(rules, '/gone/a', null, abs), { kind: 'redirect', status: 410, location: null });
  });

  it('maps Alias and AliasMatch, then DocumentRoot', () => {
    const aliases: AliasRule[] = [
      { kind: 'alias', from: '/docs/', to: '/srv/docs/', source: src },
      { kind: 'aliasmatch', from: '^/i/(.*)$', regex: /^\/i\/(.*)$/, to: '/srv/img/$1', source: src },
    ];
    assert.deepEqual(matchAlias(aliases, '/docs/a.txt'), { kind: 'file', filename: '/srv/docs/a.txt', base: '/srv/docs' });
    assert.deepEqual(matchAlias(aliases, '/i/x.png'), { kind: 'file', filename: '/srv/img/x.png', base: '/srv/img' });
    assert.deepEqual(translateUri({ redirects: [], aliases, documentRoot: '/var/www/' }, '/a/b', null, abs), {
      kind: 'file',
      filename: '/var/www/a/b',
      base: '/var/www',
    });
  });
});
