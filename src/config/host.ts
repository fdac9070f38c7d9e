/**
 * @module config/host — host names and addresses as virtual-host selection compares them.
 */
import { globToRegExp } from './glob.js';

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

const compiled = new Map<string, RegExp>();

/** ServerAlias names may use * and ? wildcards (matching across dots). */
export function matchesHostPattern(pattern: string, host: string): boolean {
  const p = normalizeHost(pattern);
  if (!/[*?[]/.test(p)) return p === host;
  let re = compiled.get(p);
  if (!re) {
    re = globToRegExp(p, false);
    compiled.set(p, re);
  }
  return re.test(host);
}
