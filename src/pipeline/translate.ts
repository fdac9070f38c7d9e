/**
 * @module pipeline/translate — Apache's translate_name for mod_alias and core: Redirect /
 * RedirectMatch first, then Alias / AliasMatch / ScriptAlias, then DocumentRoot + URI.
 * Pure: the caller gives the decoded, normalised URI (see uri-path.ts), so a join can never
 * leave the Alias target or the DocumentRoot.
 */
import type { AliasRule, RedirectRule } from '../config/types.js';

export type Translation =
  | {
      kind: 'file';
      filename: string;
      /** Alias target or DocumentRoot the file lives under. */
      base: string;
      /** Mapped by ScriptAlias(Match): a CGI program, never sent as a file. */
      script?: boolean;
    }
  | { kind: 'redirect'; status: number; location: string | null };

/** Matches a URL-path prefix at a segment boundary ("/img" matches "/img" and "/img/x", not "/imgs"). */
export function prefixLength(uri: string, from: string): number {
  if (from === '/' || from === '') return uri.startsWith('/') ? from.length : -1;
  if (!uri.startsWith(from)) return -1;
  if (uri.length === from.length || from.endsWith('/') || uri[from.length] === '/') return from.length;
  return -1;
}

/** ap_pregsub: $0-$9 in `template` from the regex match; "\$" is a literal "$". */
export function substitute(template: string, m: RegExpExecArray): string {
  return template.replace(/\\\$|\$(\d)/g, (all, d: string | undefined) => (d === undefined ? '$' : (m[Number(d)] ?? '')));
}

/** Escapes a path the way ap_escape_path_segment does for redirect targets. */
export function escapePath(p: string): string {
  return p.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/g, (c) =>
    Array.from(Buffer.from(c, 'utf8'), (b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join(''),
  );
}

/** Applies Redirect/RedirectMatch rules; `absolute` turns "/path" targets into full URLs. */
export function matchRedirect(
  rules: readonly RedirectRule[],
  uri: string,
  args: string | null,
  absolute: (path: string) => string,
): Translation | null {
  for (const r of rules) {
    let target: string | null;
    if (r.kind === 'redirectmatch') {
      const m = r.regex ? r.regex.exec(uri) : null;
      if (!m) continue;
      target = r.to === null ? null : substitute(r.to, m);
    } else {
      const n = prefixLength(uri, r.from);
      if (n < 0) continue;
      target = r.to === null ? null : r.to + escapePath(uri.slice(n));
    }
    if (target === null || r.status < 300 || r.status > 399) return { kind: 'redirect', status: r.status, location: null };
    if (target.startsWith('/')) target = absolute(target);
    if (args && !target.includes('?')) target += `?${args}`;
    return { kind: 'redirect', status: r.status, location: target };
  }
  return null;
}

export function matchAlias(rules: readonly AliasRule[], uri: string): Translation | null {
  for (const a of rules) {
    if (a.kind === 'aliasmatch' || a.kind === 'scriptaliasmatch') {
      const m = a.regex ? a.regex.exec(uri) : null;
      if (!m) continue;
      const filename = substitute(a.to, m);
      return { kind: 'file', filename, base: aliasBase(filename), ...(a.kind === 'scriptaliasmatch' ? { script: true } : {}) };
    }
    const n = prefixLength(uri, a.from);
    if (n < 0) continue;
    let rest = uri.slice(n);
    // "Alias /x/ /dir/" and "Alias /x /dir": keep exactly one slash at the join.
    if (a.to.endsWith('/') && rest.startsWith('/')) rest = rest.slice(1);
    return { kind: 'file', filename: a.to + rest, base: a.to.replace(/\/+$/, '') || '/', ...(a.kind === 'scriptalias' ? { script: true } : {}) };
  }
  return null;
}

function aliasBase(filename: string): string {
  const i = filename.lastIndexOf('/');
  return i <= 0 ? '/' : filename.slice(0, i);
}

/** The whole translate step for a server: redirects, aliases, DocumentRoot. */
export function translateUri(
  srv: { redirects: readonly RedirectRule[]; aliases: readonly AliasRule[]; documentRoot: string },
  uri: string,
  args: string | null,
  absolute: (path: string) => string,
): Translation {
  const redirect = matchRedirect(srv.redirects, uri, args, absolute);
  if (redirect) return redirect;
  const alias = matchAlias(srv.aliases, uri);
  if (alias) return alias;
  const root = srv.documentRoot.replace(/\/+$/, '');
  return { kind: 'file', filename: root + uri, base: root || '/' };
}
