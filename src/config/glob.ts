/**
 * @module config/glob — fnmatch-style patterns (`*`, `?`, `[...]`) as used by <Directory>,
 * <Files>, <Location> wildcards and Include paths, compiled to anchored RegExps.
 * With `pathname` semantics (APR_FNM_PATHNAME), wildcards never match `/`.
 */

export function hasWildcard(s: string): boolean {
  return /[*?[]/.test(s);
}

/** Regex source (no anchors) for one fnmatch pattern. */
export function globSource(pattern: string, pathname = true): string {
  const any = pathname ? '[^/]' : '.';
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') out += `${any}*`;
    else if (c === '?') out += any;
    else if (c === '\\' && i + 1 < pattern.length) out += escapeRegex(pattern[++i] as string);
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      out += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else out += escapeRegex(c);
  }
  return out;
}

export function globToRegExp(pattern: string, pathname = true): RegExp {
  return new RegExp(`^${globSource(pattern, pathname)}$`);
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
