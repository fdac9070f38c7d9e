/**
 * @module pipeline/request-headers — mod_headers' RequestHeader: the request's headers as the
 * handlers see them. `early` ops run at post-read-request (before any Python phase), the others
 * at fixups after a PythonFixupHandler (mod_headers hooks the end of fixups). The result goes to
 * Python through the synced headers_in table, and to the server's own readers (access log %{…}i,
 * Range, auth) through the request's header object — as do a Python handler's own changes.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { applyHeaderOps, createHeaderBag, type HeaderTarget } from '../headers/apply.js';
import type { HeaderOp } from '../config/types.js';
import { headerContext } from './response-headers.js';
import type { RequestRecord } from './request-record.js';
import type { WorkerSync } from '../workers/types.js';

function applies(op: HeaderOp, target: HeaderTarget): boolean {
  return target === 'early' ? op.early === true : op.early !== true;
}

/** Node's view of headers (lower-case names; repeats joined as Node joins them). */
function nodeHeaders(pairs: readonly [string, string][]): IncomingHttpHeaders {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    const prev = out[key];
    if (key === 'set-cookie') out[key] = [...((prev as string[] | undefined) ?? []), value];
    else if (prev === undefined) out[key] = value;
    else out[key] = `${prev as string}${key === 'cookie' ? '; ' : ', '}${value}`;
  }
  return out;
}

/** Applies the RequestHeader ops for `target` ('early' or the fixups ones, 'onsuccess'). */
export function applyRequestHeaders(rec: RequestRecord, target: 'early' | 'onsuccess'): void {
  const ops = rec.dir.requestHeaders;
  if (!ops || !ops.some((op) => applies(op, target))) return;
  const bag = createHeaderBag(rec.s.headers_in);
  applyHeaderOps(ops, target, bag, headerContext(rec));
  const pairs = bag.entries();
  rec.sync.set('headers_in', pairs);
  refreshNodeHeaders(rec);
}

/** After RequestHeader or a Python handler changed headers_in: the server's own readers (auth,
 *  Range, the access log) see what the handlers see, as Apache's modules read r->headers_in. */
export function refreshNodeHeaders(rec: RequestRecord): void {
  rec.ex.req.headers = nodeHeaders(rec.s.headers_in);
}

/** Applies what a worker sent back of the request (phase.done, the response head, an internal
 *  redirect, a filter's sync push) and, when it changed headers_in, the server's view of them.
 *  Returns the generation the worker has now seen. */
export function applyWorkerSync(rec: RequestRecord, sync: WorkerSync): number {
  const seen = rec.sync.apply(sync);
  if (sync.headers_in) refreshNodeHeaders(rec);
  return seen;
}
