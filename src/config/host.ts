/**
 * @module config/host — host names and addresses as virtual-host selection compares them.
 */
import { globToRegExp, hasWildcard } from './glob.js';

/** "::ffff:127.0.0.1" → "127.0.0.1"; "[::1]" → "::1"; lower-case. */
export function normalizeIp(a: string): string {
  let s = a.trim().toLowerCase();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  if (s.startsWith('::ffff:') && s.includes('.')) s = s.slice(7);
  return s;
}

/** A Host header or ServerName → bare lower-case host: no port, no trailing dot. */
export function normalizeHost(h: string): string {
  let s = h.trim().toLowerCase();
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    return end > 0 ? s.slice(1, end) : s;
  }
  const colon = s.indexOf(':');
  if (colon >= 0 && s.indexOf(':', colon + 1) < 0) s = s.slice(0, colon);
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

/** A virtual host's ServerName and ServerAlias names as Host headers are compared with them:
 *  normalised, and ServerAlias wildcards (* and ?, matching across dots) compiled. */
export interface HostNames {
  exact: ReadonlySet<string>;
  patterns: readonly RegExp[];
}

export function hostNames(serverName: string | undefined, aliases: readonly string[]): HostNames {
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  // ServerName is compared as written (no wildcards), ServerAlias may have them.
  if (serverName !== undefined) exact.add(normalizeHost(serverName));
  for (const alias of aliases) {
    const a = normalizeHost(alias);
    if (hasWildcard(a)) patterns.push(globToRegExp(a, false));
    else exact.add(a);
  }
  return { exact, patterns };
}

/** True when `host` (normalised with normalizeHost) is one of `names`. */
export function hostNamesMatch(names: HostNames, host: string): boolean {
  return names.exact.has(host) || names.patterns.some((re) => re.test(host));
}
