/**
 * @module auth/host-lookup — the client's host name for `Require host`, found the way
 * mod_authz_host insists on: a reverse lookup confirmed by a forward lookup ("double reverse"),
 * so a PTR record alone cannot claim a domain. Bounded by a timeout; answers cached briefly.
 */
import dns from 'node:dns/promises';

const CACHE_MS = 60_000;
const DEFAULT_TIMEOUT_MS = 2000;
const cache = new Map<string, { name: string | null; expires: number }>();

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(null);
      },
    );
  });
}

async function confirmedName(ip: string, timeoutMs: number): Promise<string | null> {
  // getnameinfo (lookupService), not a raw PTR query: like httpd it honours /etc/hosts and nsswitch.
  const reverse = await withTimeout(dns.lookupService(ip, 0), timeoutMs);
  const name = reverse?.hostname;
  if (!name || name === ip) return null;
  const forward = await withTimeout(dns.lookup(name, { all: true }), timeoutMs);
  return forward?.some((a) => a.address === ip) ? name.toLowerCase() : null;
}

/** The double-reverse-confirmed host name of `ip`, or null (no PTR, mismatch, or timeout). */
export async function lookupClientHost(ip: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string | null> {
  const now = Date.now();
  const hit = cache.get(ip);
  if (hit && hit.expires > now) return hit.name;
  const name = await confirmedName(ip, timeoutMs);
  cache.set(ip, { name, expires: now + CACHE_MS });
  if (cache.size > 10_000) cache.delete(cache.keys().next().value as string);
  return name;
}

/** `Require host example.org` matches example.org and any name ending in ".example.org". */
export function hostMatches(host: string, pattern: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const p = pattern.toLowerCase().replace(/^\./, '').replace(/\.$/, '');
  return h === p || h.endsWith(`.${p}`);
}
