/**
 * @module pipeline/response-headers — the header list of a response: headers_out (not for error
 * pages) and err_headers_out, with the Header directive applied as mod_headers does ('onsuccess'
 * ops on headers_out, 'always' ops on err_headers_out), then Content-Type/-Encoding/-Language
 * and Content-Length when known.
 */
import { applyHeaderOps, createHeaderBag, type HeaderContext } from '../headers/apply.js';
import type { RequestRecord } from './request-record.js';
import { OK } from './hook-status.js';
import { applyRequestHeaders } from './request-headers.js';

export function headerContext(rec: RequestRecord): HeaderContext {
  const env: Record<string, string> = {};
  for (const [k, v] of rec.s.subprocess_env) env[k] = v;
  return {
    env,
    requestStartUs: rec.ex.startMs * 1000,
    // headers_in as the handlers left it (RequestHeader, Python): what httpd's echo walks.
    headersIn: rec.s.headers_in,
  };
}

/** `Header … early` and `RequestHeader … early` (server/vhost level): applied at
 *  post-read-request, so every later phase — Python's included — sees them. */
export function applyEarlyHeaders(rec: RequestRecord): number {
  applyRequestHeaders(rec, 'early');
  const ops = rec.dir.headers;
  if (!ops || !ops.some((op) => op.early === true)) return OK;
  const out = createHeaderBag(rec.s.headers_out);
  applyHeaderOps(ops, 'early', out, headerContext(rec));
  rec.sync.set('headers_out', out.entries());
  return OK;
}

/** headers_out / err_headers_out after the Header directive's ops. */
export function headerTables(rec: RequestRecord, includeOut: boolean): { out: [string, string][]; err: [string, string][] } {
  const ops = rec.dir.headers;
  if (!ops || ops.length === 0) return { out: includeOut ? rec.s.headers_out : [], err: rec.s.err_headers_out };
  const ctx = headerContext(rec);
  const err = createHeaderBag(rec.s.err_headers_out);
  applyHeaderOps(ops, 'always', err, ctx);
  if (!includeOut) return { out: [], err: err.entries() };
  const out = createHeaderBag(rec.s.headers_out);
  applyHeaderOps(ops, 'onsuccess', out, ctx);
  return { out: out.entries(), err: err.entries() };
}

/** The Content-Type to send: AddDefaultCharset adds its charset to text/plain and text/html
 *  types that name none (ap_make_content_type). */
export function contentTypeOf(rec: RequestRecord): string | null {
  const type = rec.s.content_type;
  const charset = rec.dir.addDefaultCharset;
  if (!type || !charset) return type;
  const bare = type.trim().toLowerCase();
  return bare === 'text/plain' || bare === 'text/html' ? `${type}; charset=${charset}` : type;
}

/** Headers of a response the handler (or the static handler) produces. */
export function responseHeaders(rec: RequestRecord, contentLength: number | null = null): [string, string][] {
  const s = rec.s;
  const { out: outTable, err } = headerTables(rec, true);
  // Apache's header filter sets Content-Type from r->content_type over whatever the tables
  // hold, so a table's own Content-Type only goes out when the request has none.
  const contentType = contentTypeOf(rec);
  const out: [string, string][] = [];
  // Both tables alike (httpd merges err_headers_out into the response's headers): framing is
  // Node's job, so a Content-Length in either is kept as the length, never sent as it is.
  for (const table of [outTable, err]) {
    for (const h of table) {
      const k = h[0].toLowerCase();
      if (k === 'content-length' || k === 'transfer-encoding') {
        if (k === 'content-length' && contentLength === null && /^\d+$/.test(h[1])) contentLength = Number(h[1]);
        continue;
      }
      if (contentType && k === 'content-type') continue;
      out.push(h);
    }
  }
  if (contentType) out.push(['Content-Type', contentType]);
  if (s.content_encoding) out.push(['Content-Encoding', s.content_encoding]);
  if (s.content_languages.length) out.push(['Content-Language', s.content_languages.join(', ')]);
  if (contentLength !== null) out.push(['Content-Length', String(contentLength)]);
  return out;
}
