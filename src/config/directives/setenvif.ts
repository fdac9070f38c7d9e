/**
 * @module config/directives/setenvif — mod_setenvif: SetEnvIf, SetEnvIfNoCase, BrowserMatch and
 * BrowserMatchNoCase set or unset req.subprocess_env variables from request attributes.
 * Parsing follows httpd 2.4's add_setenvif_core, error texts included (checked with apache2 -t).
 * Rules written at server/vhost level run at post_read_request, the others at header_parser
 * (pipeline/setenvif.ts).
 */
import type { SetEnvIfAttribute, SetEnvIfRule } from '../types.js';
import { compileApacheRegex } from '../regex.js';
import { type ApplyContext, type DirectiveSpec, type DirectiveTarget, ALL, fail } from './spec.js';

const SPECIAL_NAMES: Readonly<Record<string, Exclude<SetEnvIfAttribute['kind'], 'header' | 'header_regex'>>> = {
  remote_host: 'remote_host',
  remote_addr: 'remote_addr',
  server_addr: 'server_addr',
  request_method: 'request_method',
  request_protocol: 'request_protocol',
  request_uri: 'request_uri',
};

/** httpd's is_header_regex: a name with anything but letters, digits, `-` and `_` is a regex. */
function isHeaderRegex(name: string): boolean {
  return !/^[-A-Za-z0-9_]*$/.test(name);
}

/** httpd's non_regex_pattern: the text to search for when `regex` has no metacharacters
 *  (escaped ones count as plain), else null. */
export function plainPattern(regex: string): string | null {
  let out = '';
  let inEscape = false;
  for (const c of regex) {
    if ('^.$|()[]*+?{}'.includes(c)) {
      if (!inEscape) return null;
      inEscape = false;
      out += c;
    } else if (c === '\\') {
      if (inEscape) out += c;
      inEscape = !inEscape;
    } else {
      if (inEscape) return null;
      out += c;
    }
  }
  // A trailing lone backslash is dropped, as httpd's unescaping loop does.
  return out;
}

function compile(ctx: ApplyContext, what: string, source: string, ignoreCase: boolean): RegExp {
  try {
    return compileApacheRegex(source, ignoreCase ? 'i' : '');
  } catch (e) {
    return fail(ctx, `${what} could not be compiled: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function attributeOf(ctx: ApplyContext, directive: string, name: string, ignoreCase: boolean): SetEnvIfAttribute {
  const special = SPECIAL_NAMES[name.toLowerCase()];
  if (special) return { kind: special };
  if (isHeaderRegex(name)) return { kind: 'header_regex', pattern: compile(ctx, `${directive}Header name regex`, name, ignoreCase) };
  return { kind: 'header', name };
}

/** The attribute object an earlier rule of the same scope uses for this name, in any case
 *  (httpd shares the name pointer, which its request-time lookup cache relies on). */
function sharedAttribute(own: readonly SetEnvIfRule[], name: string): SetEnvIfAttribute | undefined {
  const lower = name.toLowerCase();
  return own.find((r) => r.attributeName.toLowerCase() === lower)?.attribute;
}

/** `var=value` sets, `!var` unsets, `var` (or `var=`) sets "1"; a later feature for the same
 *  variable (in any case) replaces the earlier one in place, as in httpd's feature table. */
function parseFeatures(words: readonly string[]): [string, string][] {
  const features: [string, string][] = [];
  for (const word of words) {
    // ap_getword_conf returns "" for an empty quoted word and httpd's loop stops there.
    if (word === '') break;
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    const value = eq < 0 ? '' : word.slice(eq + 1);
    const entry: [string, string] = value !== '' ? [name, value] : name.startsWith('!') ? [name.slice(1), '!'] : [name, '1'];
    const i = features.findIndex(([k]) => k.toLowerCase() === entry[0].toLowerCase());
    if (i < 0) features.push(entry);
    else features[i] = [features[i]![0], entry[1]];
  }
  return features;
}

function addRule(t: DirectiveTarget, ctx: ApplyContext, directive: string, syntax: string, attributeWord: string | undefined, words: readonly string[], ignoreCase: boolean): void {
  if (!attributeWord) fail(ctx, `Missing header-field name for ${directive}; syntax: ${syntax}`);
  const [regexSource, ...featureWords] = words;
  if (!regexSource) fail(ctx, `Missing regular expression for ${directive}; syntax: ${syntax}`);
  // httpd's order of checks: the value regex, the attribute regex, then the variables.
  const plain = plainPattern(regexSource);
  const match: SetEnvIfRule['match'] =
    plain !== null ? { kind: 'substring', text: ignoreCase ? plain.toLowerCase() : plain, ignoreCase } : { kind: 'regex', regex: compile(ctx, `${directive} regex`, regexSource, ignoreCase) };
  const serverLevel = ctx.where === 'server' || ctx.where === 'vhost';
  const own = (t.dir.setEnvIf ?? []).filter((r) => r.serverLevel === serverLevel);
  const attribute = sharedAttribute(own, attributeWord) ?? attributeOf(ctx, directive, attributeWord, ignoreCase);
  const features = parseFeatures(featureWords);
  if (features.length === 0) fail(ctx, `Missing envariable expression for ${directive}; syntax: ${syntax}`);
  t.dir.setEnvIf = [...(t.dir.setEnvIf ?? []), { attributeName: attributeWord, attribute, match, features, serverLevel, source: ctx.source }];
}

const SET_ENV_IF_SYNTAX = (name: string) => `${name} attribute regex [!]env-variable[=value] [[!]env-variable[=value]] ...`;
const BROWSER_MATCH_SYNTAX = (name: string) => `${name} regex [!]env-variable[=value] [[!]env-variable[=value]] ...`;

const ATTRIBUTE_NOTE =
  'attribute is Remote_Host, Remote_Addr, Server_Addr, Request_Method, Request_Protocol, Request_URI, a request header name, ' +
  'a regex matched against header names, or a variable set by an earlier SetEnvIf* line (when no such header exists). $0..$9 in a value take the regex groups; ' +
  'server/vhost-level lines run right after the request is read (after RequestHeader … early), directory-level ones at header_parser; ' +
  'both see req.headers_in as the handlers left it.';

const DIFFERS =
  'Variables that httpd\'s own modules act on (nokeepalive, force-response-1.0, downgrade-1.0, force-no-vary, no-gzip, …) are set for Python and the logs, ' +
  'but modpy does not act on them. Remote_Host is always the client address (no reverse lookups, as with HostnameLookups Off).';

/** SetEnvIf[NoCase] (attribute first) or BrowserMatch[NoCase] (the attribute is User-Agent). */
function ruleDirective(name: string, ignoreCase: boolean, browser: boolean): DirectiveSpec {
  const syntax = browser ? BROWSER_MATCH_SYNTAX(name) : SET_ENV_IF_SYNTAX(name);
  const what = browser ? 'a browser regex' : 'a header-name, regex';
  return {
    name,
    module: 'mod_setenvif',
    args: 'raw',
    contexts: ALL,
    override: 'FileInfo',
    syntax,
    default: '—',
    help: `${what}${ignoreCase ? ' (case-insensitive)' : ''} and a list of variables`,
    note: browser ? `Same as ${ignoreCase ? 'SetEnvIfNoCase' : 'SetEnvIf'} User-Agent regex …` : ATTRIBUTE_NOTE,
    differs: DIFFERS,
    apply(t, args, ctx) {
      if (browser) addRule(t, ctx, name, syntax, 'User-Agent', args, ignoreCase);
      else addRule(t, ctx, name, syntax, args[0], args.slice(1), ignoreCase);
    },
  };
}

export const setEnvIfDirectives: DirectiveSpec[] = [
  ruleDirective('SetEnvIf', false, false),
  ruleDirective('SetEnvIfNoCase', true, false),
  ruleDirective('BrowserMatch', false, true),
  ruleDirective('BrowserMatchNoCase', true, true),
];
