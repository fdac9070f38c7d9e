/**
 * @module pipeline/error-response — ap_die: turns a phase's HTTP status into the response
 * Apache would send: ErrorDocument (local → internal redirect, URL → 302, text → literal), else
 * the canned page; err_headers_out survive, headers_out do not (except Location on 3xx), Allow
 * on 405/501; an error after the head was sent is appended to the body, as Apache does.
 */
import { APLOG } from '../logs/log-level.js';
import { ERROR_CONTENT_TYPE, errorPageHtml, parseErrorDocument, signatureLine } from './error-pages.js';
import type { RequestRecord } from './request-record.js';
import { knownStatus } from './status-text.js';
import { internalRedirect } from './runner.js';
import { headerTables } from './response-headers.js';

const DROPS_CONNECTION: ReadonlySet<number> = new Set([400, 408, 411, 413, 414, 417, 500, 501, 503]);

/** ServerSignature names the host and port the client asked for (UseCanonicalName Off). */
export function signatureFor(rec: RequestRecord): string {
  const srv = rec.server;
  return signatureLine(rec.dir.serverSignature, rec.site.banner, rec.hostname || srv.info.server_hostname, rec.port, srv.info.server_admin);
}


export async function sendError(rec: RequestRecord, returned: number): Promise<void> {
  const s = rec.s;
  const channel = rec.ex.channel;
  // The returned code is the status, whatever req.status says (verified against Apache 2.4 +
  // mod_python 3.5: SERVER_RETURN(404, 410) answers 404, with no "Additionally" paragraph).
  let status = knownStatus(returned);
  let recursive: number | undefined;
  if (rec.forcedStatus !== null) {
    // An error while serving an ErrorDocument: report the original error.
    recursive = status;
    status = rec.forcedStatus;
  }
  const location = s.headers_out.find(([k]) => k.toLowerCase() === 'location')?.[1] ?? null;

  if (channel.headSent) {
    if (!channel.ended && rec.method !== 'HEAD') await channel.write(Buffer.from(page(rec, status, location, recursive), 'latin1'));
    await channel.end();
    return;
  }

  const doc = rec.forcedStatus === null ? rec.dir.errorDocuments?.[status] : undefined;
  if (doc !== undefined) {
    const target = parseErrorDocument(doc);
    if (target.kind === 'local') {
      await internalRedirect(rec, target.uri, { method: 'GET', errorStatus: status });
      return;
    }
    if (target.kind === 'external') {
      s.headers_out.length = 0;
      s.headers_out.push(['Location', target.url]);
      return sendPage(rec, 302, target.url, undefined, null);
    }
    return sendPage(rec, status, location, undefined, target.text);
  }
  return sendPage(rec, status, location, recursive, null);
}

function page(rec: RequestRecord, status: number, location: string | null, recursive: number | undefined): string {
  return errorPageHtml(status, {
    method: rec.method,
    uri: rec.s.uri,
    location,
    serverAdmin: rec.server.info.server_admin,
    notes: rec.errorNotes,
    signature: signatureFor(rec),
    recursiveStatus: recursive,
  });
}

async function sendPage(rec: RequestRecord, status: number, location: string | null, recursive: number | undefined, text: string | null): Promise<void> {
  const headers: [string, string][] = [...headerTables(rec, false).err];
  if (status >= 300 && status < 400 && location) headers.push(['Location', location]);
  if (status === 405 || status === 501) {
    if (!headers.some(([k]) => k.toLowerCase() === 'allow')) headers.push(['Allow', allowList(rec)]);
  }
  if (status === 304 || status === 204) {
    const t = headerTables(rec, true);
    rec.ex.channel.sendHead(status, null, [...t.out.filter(([k]) => !/^(content-length|transfer-encoding)$/i.test(k)), ...t.err]);
    await rec.ex.channel.end();
    return;
  }
  const body = Buffer.from(text ?? page(rec, status, location, recursive), 'latin1');
  headers.push(['Content-Length', String(body.length)], ['Content-Type', ERROR_CONTENT_TYPE]);
  // Apache closes the connection after these (ap_status_drops_connection).
  if (DROPS_CONNECTION.has(status)) headers.push(['Connection', 'close']);
  rec.ex.channel.sendHead(status, null, headers);
  if (status >= 500) rec.log(APLOG.DEBUG, `returning ${status} for ${rec.s.uri}`);
  await rec.ex.channel.end(rec.method === 'HEAD' ? undefined : body);
}

/** Apache's Allow for a 405 from a handler: the methods it allows plus TRACE. */
function allowList(rec: RequestRecord): string {
  const out: string[] = [];
  for (const m of rec.s.allowed_methods) {
    out.push(m);
    if (m === 'GET' && !rec.s.allowed_methods.includes('HEAD')) out.push('HEAD');
  }
  out.push('TRACE');
  return out.join(',');
}
