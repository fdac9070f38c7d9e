/**
 * @module static/etag — Apache's default ETag (FileETag MTime Size): "<size hex>-<mtime µs hex>",
 * strong, so caches and Range requests behave as with Apache.
 */
import type { Stats } from 'node:fs';

export function apacheEtag(st: Stats): string {
  const mtimeUs = Math.round(st.mtimeMs * 1000);
  return `"${st.size.toString(16)}-${mtimeUs.toString(16)}"`;
}
