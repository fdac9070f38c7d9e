/** mod_setenvif directives: how SetEnvIf*, BrowserMatch* lines become SetEnvIfRules, where they
 *  are stored, and httpd's errors (messages checked with apache2 -t, 2.4). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SetEnvIfRule } from '../../../src/config/types.js';
import { plainPattern } from '../../../src/config/directives/setenvif.js';
import { assertConfigError, load } from './helpers.js';

async function serverRules(text: string): Promise<readonly SetEnvIfRule[]> {
  return (await load(text)).main.dirDefaults.setEnvIf ?? [];
}

void test('features: var=value, !var, var and var= (which sets "1"); a repeated variable keeps its first place', async () => {
  const [rule] = await serverRules('SetEnvIf X-A ^a A=v !B C D= e=1 E=2');
  assert.deepEqual(rule?.features, [['A', 'v'], ['B', '!'], ['C', '1'], ['D', '1'], ['e', '2']]);
});

void test('an empty quoted word ends the variables, as ap_getword_conf\'s loop does', async () => {
  const [rule] = await serverRules('SetEnvIf X-A ^a A "" B');
  assert.deepEqual(rule?.features, [['A', '1']]);
});

void test('special attributes in any case, header names, and header-name regexes', async () => {
  const rules = await serverRules(
    ['Remote_Host', 'REMOTE_ADDR', 'server_addr', 'Request_Method', 'Request_Protocol', 'Request_URI', 'X-Header_1', '^X-(A|B)$'].map((a) => `SetEnvIf ${a} x V`).join('\n'),
  );
  assert.deepEqual(
    rules.map((r) => r.attribute.kind),
    ['remote_host', 'remote_addr', 'server_addr', 'request_method', 'request_protocol', 'request_uri', 'header', 'header_regex'],
  );
  const re = rules[7]?.attribute;
  assert.ok(re?.kind === 'header_regex' && re.pattern.test('X-A') && !re.pattern.test('x-a'), 'SetEnvIf: name regex is case-sensitive');
  const [nocase] = await serverRules('SetEnvIfNoCase ^x-a$ x V');
  assert.ok(nocase?.attribute.kind === 'header_regex' && nocase.attribute.pattern.test('X-A'), 'SetEnvIfNoCase: name regex ignores case');
});

void test('a regex without metacharacters is a plain substring (escaped ones unescaped); any metacharacter makes a regex', async () => {
  assert.equal(plainPattern('MSIE 4'), 'MSIE 4');
  assert.equal(plainPattern('lit\\.eral\\\\'), 'lit.eral\\');
  assert.equal(plainPattern('a\\d'), null, 'an escaped ordinary character is regex syntax');
  for (const meta of ['^a', 'a.b', 'a$', 'a|b', '(a)', '[a]', 'a*', 'a+', 'a?', 'a{2}']) assert.equal(plainPattern(meta), null, meta);
  const [plain, regex, nocase] = await serverRules('SetEnvIf X lit\\.eral A\nSetEnvIf X "^(a)" B\nBrowserMatchNoCase ^mozilla C');
  assert.deepEqual(plain?.match, { kind: 'substring', text: 'lit.eral', ignoreCase: false });
  assert.ok(regex?.match.kind === 'regex' && !regex.match.regex.ignoreCase);
  assert.ok(nocase?.match.kind === 'regex' && nocase.match.regex.ignoreCase);
  assert.deepEqual(nocase?.attribute, { kind: 'header', name: 'User-Agent' });
});

void test('rules of one scope naming the same attribute (in any case) share it; other scopes do not', async () => {
  const cfg = await load('SetEnvIf x-a a A\nBrowserMatch b B\nSetEnvIf X-A c C\n<Directory /d>\nSetEnvIf X-A d D\n</Directory>');
  const rules = cfg.main.dirDefaults.setEnvIf ?? [];
  assert.equal(rules[0]?.attribute, rules[2]?.attribute);
  assert.notEqual(rules[0]?.attribute, rules[1]?.attribute);
  const dirRule = cfg.main.sections.find((s) => s.pattern === '/d')?.config.setEnvIf?.[0];
  assert.notEqual(dirRule?.attribute, rules[0]?.attribute);
});

void test('server and vhost lines are server-level; section lines are not; a vhost inherits the main server\'s first', async () => {
  const cfg = await load('Listen 80\nSetEnvIf X a MAIN\n<VirtualHost *:80>\nServerName v.test\nBrowserMatch b VHOST\n<Location /l>\nSetEnvIf X c LOC\n</Location>\n</VirtualHost>');
  const vhost = cfg.vhosts[0];
  assert.deepEqual(
    vhost?.dirDefaults.setEnvIf?.map((r) => [r.features[0]?.[0], r.serverLevel]),
    [['MAIN', true], ['VHOST', true]],
  );
  const loc = vhost?.sections.find((s) => s.pattern === '/l')?.config.setEnvIf;
  assert.deepEqual(loc?.map((r) => [r.features[0]?.[0], r.serverLevel, r.source.line]), [['LOC', false, 7]]);
});

void test('<IfModule mod_setenvif.c> and <IfModule setenvif_module> hold without LoadModule', async () => {
  const rules = await serverRules('<IfModule mod_setenvif.c>\nSetEnvIf X a A\n</IfModule>\n<IfModule setenvif_module>\nSetEnvIf X a B\n</IfModule>\n<IfModule !mod_setenvif.c>\nSetEnvIf X a C\n</IfModule>');
  assert.deepEqual(rules.map((r) => r.features[0]?.[0]), ['A', 'B']);
});

// httpd's texts (apache2 -t), followed by the syntax.
const SET = 'SetEnvIf attribute regex [!]env-variable[=value] [[!]env-variable[=value]] ...';
const errors: { text: string; message: string | RegExp }[] = [
  { text: 'SetEnvIf', message: `Missing header-field name for SetEnvIf; syntax: ${SET}` },
  { text: 'SetEnvIf X', message: `Missing regular expression for SetEnvIf; syntax: ${SET}` },
  { text: 'SetEnvIf X ""', message: `Missing regular expression for SetEnvIf; syntax: ${SET}` },
  { text: 'SetEnvIf X y', message: `Missing envariable expression for SetEnvIf; syntax: ${SET}` },
  { text: 'SetEnvIf X y "" a', message: `Missing envariable expression for SetEnvIf; syntax: ${SET}` },
  { text: 'BrowserMatch', message: /^Missing regular expression for BrowserMatch; syntax: BrowserMatch regex / },
  { text: 'BrowserMatch x', message: /^Missing envariable expression for BrowserMatch; / },
  { text: 'SetEnvIfNoCase X', message: /^Missing regular expression for SetEnvIfNoCase; / },
  // The value regex is compiled before the attribute regex, and both before the variables are read.
  { text: 'SetEnvIf X "("', message: /^SetEnvIf regex could not be compiled: / },
  { text: 'SetEnvIf "(" "("', message: /^SetEnvIf regex could not be compiled: / },
  { text: 'SetEnvIf (x y', message: /^SetEnvIfHeader name regex could not be compiled: / },
  { text: 'BrowserMatchNoCase "[" a', message: /^BrowserMatchNoCase regex could not be compiled: / },
];

void test('config errors name the file, the line and the legal form', async () => {
  for (const e of errors) await assertConfigError(`# comment\n${e.text}`, { line: 2, message: e.message, code: 'MPY_ERR_CONFIG_BAD_ARGUMENT' });
});
