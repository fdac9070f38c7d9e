/**
 * @module pipeline/setenvif — mod_setenvif at request time (httpd 2.4's match_headers): each
 * SetEnvIf* rule reads its attribute, tests it, and on a match sets or unsets variables in
 * req.subprocess_env. Server/vhost-level rules run at post_read_request; directory-level ones
 * at header_parser (both after the Python handlers of the hook, as mod_python is loaded first).
 */
import type { SetEnvIfAttribute, SetEnvIfRule } from '../config/types.js';
import { createHeaderBag, type HeaderBag } from '../headers/header-bag.js';
import type { RequestRecord } from './request-record.js';
import { OK } from './hook-status.js';

function tableGet(table: readonly (readonly [string, string])[], name: string): string | null {
  const lower = name.toLowerCase();
  for (const [k, v] of table) if (k.toLowerCase() === lower) return v;
  return null;
}

/** The attribute's value, null when the header or variable is absent. */
function attributeValue(rec: RequestRecord, a: SetEnvIfAttribute, env: HeaderBag | null): string | null {
  switch (a.kind) {
    case 'remote_addr':
      return rec.ex.conn.clientIp;
    case 'server_addr':
      return rec.ex.conn.localIp;
    case 'remote_host':
      // ap_get_useragent_host with REMOTE_NAME: the address, as modpy never looks names up.
      return rec.ex.conn.clientIp;
    case 'request_uri':
      return rec.s.uri;
    case 'request_method':
      return rec.method;
    case 'request_protocol':
      return rec.head().protocol;
    case 'header':
      // headers_in as the handlers see it: after RequestHeader … early and Python's own changes.
      return tableGet(rec.s.headers_in, a.name) ?? (env ? (env.get(a.name)[0] ?? null) : tableGet(rec.s.subprocess_env, a.name));
    case 'header_regex': {
      // The last header whose name matches wins, as in httpd's loop.
      let value: string | null = null;
      for (const [k, v] of rec.s.headers_in) if (a.pattern.test(k)) value = v;
      return value;
    }
  }
}

/** ap_pregsub: `$0`..`$9` become the groups (empty when unset), `\c` becomes `c`. */
export function substituteGroups(template: string, groups: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    const next = template[i + 1];
    if (c === '$' && next !== undefined && next >= '0' && next <= '9') {
      out += groups[Number(next)] ?? '';
      i++;
    } else if (c === '\\' && next !== undefined) {
      out += next;
      i++;
    } else {
      out += c;
    }
  }
  return out;
}

/** The variables `rule` sets when `value` matches it, else null. */
function matchRule(rule: SetEnvIfRule, value: string): [string, string | null][] | null {
  const m = rule.match;
  let groups: RegExpExecArray | null = null;
  if (m.kind === 'substring') {
    // (m.text is lower-cased at configuration load for the NoCase directives.)
    const hit = m.ignoreCase ? value.toLowerCase().includes(m.text) : value.includes(m.text);
    if (!hit) return null;
  } else {
    groups = m.regex.exec(value);
    if (!groups) return null;
  }
  return rule.features.map(([name, v]) => [name, v.startsWith('!') ? null : groups ? substituteGroups(v, groups) : v]);
}

/** Runs `rules` in order against the request, updating subprocess_env once at the end (with
 *  apr_table semantics: a set replaces the first entry in place and drops the others). */
export function runSetEnvIf(rec: RequestRecord, rules: readonly SetEnvIfRule[]): void {
  if (rules.length === 0) return;
  let env: HeaderBag | null = null; // made at the first match
  // httpd reads the value once for a run of rules naming the same attribute (same object).
  let lastAttribute: SetEnvIfAttribute | null = null;
  let value = '';
  for (const rule of rules) {
    if (rule.attribute !== lastAttribute) {
      lastAttribute = rule.attribute;
      // Absent counts as empty, so "^$" matches a missing header.
      value = attributeValue(rec, rule.attribute, env) ?? '';
    }
    const sets = matchRule(rule, value);
    if (!sets) continue;
    env ??= createHeaderBag(rec.s.subprocess_env);
    for (const [name, v] of sets) {
      if (v === null) env.remove(name);
      else env.set(name, v);
    }
  }
  if (env) rec.sync.set('subprocess_env', env.entries());
}

const NO_RULES: readonly SetEnvIfRule[] = [];
/** A directory's rules split by level, once per (cached, frozen) rule list: a request without
 *  SetEnvIf* lines allocates nothing here. */
const byLevel = new WeakMap<readonly SetEnvIfRule[], { server: readonly SetEnvIfRule[]; dir: readonly SetEnvIfRule[] }>();

function rulesAt(rec: RequestRecord, serverLevel: boolean): readonly SetEnvIfRule[] {
  const all = rec.dir.setEnvIf;
  if (!all || all.length === 0) return NO_RULES;
  let split = byLevel.get(all);
  if (!split) {
    split = { server: all.filter((r) => r.serverLevel), dir: all.filter((r) => !r.serverLevel) };
    byLevel.set(all, split);
  }
  return serverLevel ? split.server : split.dir;
}

/** post_read_request: the server/vhost-level rules. */
export function setEnvIfPostReadRequest(rec: RequestRecord): number {
  runSetEnvIf(rec, rulesAt(rec, true));
  return OK;
}

/** header_parser, after the Python handlers: the directory-level rules. */
export function setEnvIfHeaderParser(rec: RequestRecord): number {
  runSetEnvIf(rec, rulesAt(rec, false));
  return OK;
}
