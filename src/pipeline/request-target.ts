/**
 * @module pipeline/request-target — how a request target and a Host header are cut up, in one
 * place: the query is what follows the first "?"; the Host's port is a trailing ":digits" and
 * an IPv6 literal loses its brackets (Apache's r->hostname).
 */

export interface SplitTarget {
  path: string;
  /** Text after the first "?", null when there is no "?" (an empty query is ""). */
  query: string | null;
}

export function splitQuery(target: string): SplitTarget {
  const q = target.indexOf('?');
  return q < 0 ? { path: target, query: null } : { path: target.slice(0, q), query: target.slice(q + 1) };
}

export interface HostHeader {
  /** Lower-case, without port or IPv6 brackets; "" without a Host header. */
  name: string;
  port: number | null;
}

const PORT_SUFFIX = /:(\d+)$/;
const IPV6_BRACKETS = /^\[|\]$/g;

export function parseHostHeader(host: string | undefined): HostHeader {
  if (!host) return { name: '', port: null };
  const m = PORT_SUFFIX.exec(host);
  const name = m ? host.slice(0, m.index) : host;
  return { name: name.replace(IPV6_BRACKETS, '').toLowerCase(), port: m ? Number(m[1]) : null };
}
