/**
 * @module static/etag — Apache's default ETag (FileETag MTime Size): "<size hex>-<mtime µs hex>",
 * strong, so caches and Range requests behave as with Apache.
 *
 * Apache truncates the nanosecond mtime to microseconds. A number Stats' mtimeMs (a double near
 * 1.8e12) is only precise to about a quarter of a microsecond, which rounds many mtimes to the
 * next microsecond (filesystems often stamp xxx999xxx ns), so the exact value comes from a
 * BigInt stat when one is at hand.
 */
import { fstatSync, statSync, type BigIntStats, type Stats } from 'node:fs';

export function apacheEtag(st: Stats | BigIntStats): string {
  if (typeof st.size === 'bigint') {
    const big = st as BigIntStats;
    return `"${big.size.toString(16)}-${(big.mtimeNs / 1000n).toString(16)}"`;
  }
  const n = st as Stats;
  return `"${n.size.toString(16)}-${Math.floor(n.mtimeMs * 1000).toString(16)}"`;
}

/** The ETag of the file at `path` (or open as `fd`) from a BigInt stat; `st` when that fails. */
export function exactEtag(file: string | number, st: Stats): string {
  try {
    const big = typeof file === 'number' ? fstatSync(file, { bigint: true }) : statSync(file, { bigint: true });
    if (big.size === BigInt(st.size)) return apacheEtag(big);
  } catch {
    // fall back to the number stat below
  }
  return apacheEtag(st);
}
