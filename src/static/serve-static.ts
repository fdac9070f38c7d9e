/**
 * @module static/serve-static — Apache's default handler plus mod_dir: files go through `send`
 * (ETag in Apache's format, Last-Modified, 304/412, Range 206/416), directories get the
 * trailing-slash 301, the DirectoryIndex (an internal redirect, so index.py can run Python), a
 * listing with Options Indexes, else 403. Other methods than GET/HEAD/POST get 405 + Allow.
 */
import send from 'send';
import { createReadStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { RequestRecord } from '../pipeline/request-record.js';
import { exactEtag } from './etag.js';
import { responseHeaders } from '../pipeline/response-headers.js';
import { internalRedirect } from '../pipeline/runner.js';
import { staticOutputFilter, type ChunkFilter } from '../pipeline/output-filters.js';
import { signatureFor } from '../pipeline/error-response.js';
import { SmallFileCache } from './file-cache.js';
import { LISTING_CONTENT_TYPE, renderListing } from './directory-listing.js';
import { APLOG } from '../logs/log-level.js';
import { tryStat } from '../pipeline/path-walk.js';
import { OK } from '../pipeline/hook-status.js';

export const ALLOW_STATIC = 'HEAD,GET,POST,OPTIONS,TRACE';
/** Filtered static output up to this size is sent with a Content-Length. */
const FILTER_BUFFER_LIMIT = 1 << 20;
/** Files up to 64 KiB are served from memory (16 MiB in all), revalidated by the walk's stat. */
const smallFiles = new SmallFileCache(64 * 1024, 16 * 1024 * 1024);
/** Request headers that need `send`'s conditional and range logic. */
const CONDITIONAL = ['range', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since', 'if-range'] as const;

function addHeaders(rec: RequestRecord, headers: [string, string][]): void {
  const res = rec.ex.channel.res;
  for (const [k, v] of headers) {
    const prev = res.getHeader(k);
    if (prev === undefined) res.setHeader(k, v);
    else res.setHeader(k, Array.isArray(prev) ? [...prev, v] : [String(prev), v]);
  }
}

export async function serveStatic(rec: RequestRecord): Promise<number> {
  const s = rec.s;
  if (s.filename === null || rec.locationShortcut) return 404;
  const st = rec.stats;
  if (!st) {
    rec.log(APLOG.INFO, `File does not exist: ${s.filename}`, 'core', 'AH00128');
    return 404;
  }
  if (st.isDirectory()) return serveDirectory(rec);
  if (s.path_info && rec.dir.acceptPathInfo !== 'On') return 404;
  if (rec.method === 'OPTIONS') {
    s.headers_out.push(['Allow', ALLOW_STATIC]);
    rec.ex.channel.sendHead(200, null, responseHeaders(rec, 0));
    await rec.ex.channel.end();
    return OK;
  }
  if (rec.method !== 'GET' && rec.method !== 'HEAD' && rec.method !== 'POST') {
    s.err_headers_out.push(['Allow', ALLOW_STATIC]);
    return 405;
  }
  if (!st.isFile()) return 403;
  const filter = await staticOutputFilter(rec);
  if (filter) return sendFiltered(rec, filter);
  return sendSmallFile(rec) ?? sendFile(rec);
}

/**
 * The common case in one write: a plain GET/HEAD of a small file with status 200 goes out as
 * head + body from memory (see file-cache.ts), with the headers `send` would have set. Returns
 * null when the request needs `send` (conditionals, ranges, big or unreadable files, a status
 * forced by ErrorDocument).
 */
function sendSmallFile(rec: RequestRecord): Promise<number> | null {
  if ((rec.method !== 'GET' && rec.method !== 'HEAD') || rec.forcedStatus !== null) return null;
  const h = rec.ex.req.headers;
  for (const name of CONDITIONAL) if (h[name] !== undefined) return null;
  const file = smallFiles.get(rec.s.filename as string, rec.stats!);
  if (!file) return null;
  const channel = rec.ex.channel;
  if (channel.closed) return Promise.resolve(OK);
  const headers = responseHeaders(rec, file.body.length);
  headers.push(['ETag', file.etag], ['Accept-Ranges', 'bytes'], ['Last-Modified', file.lastModified]);
  channel.sendHead(200, null, headers);
  return channel.end(rec.method === 'HEAD' ? undefined : file.body).then(() => OK);
}

function sendFile(rec: RequestRecord): Promise<number> {
  const s = rec.s;
  const st = rec.stats!;
  const channel = rec.ex.channel;
  const res = rec.ex.channel.res;
  const status = rec.forcedStatus ?? 200;
  // A client that left while the phases ran gets nothing: no 'close' would come again.
  if (channel.closed) return Promise.resolve(OK);
  channel.prepareForStream(status);
  addHeaders(rec, responseHeaders(rec));
  res.setHeader('ETag', exactEtag(s.filename as string, st));
  return new Promise((resolve) => {
    // Apache evaluates If-None-Match / If-Modified-Since whatever the request's Cache-Control
    // says; `send` (via `fresh`) would ignore them after "Cache-Control: no-cache", which fetch
    // clients add to every conditional request. So send sees the headers without it.
    const { 'cache-control': _cc, pragma: _pragma, ...headers } = rec.ex.req.headers;
    const view = { method: rec.ex.req.method, headers } as unknown as IncomingMessage;
    const stream = send(view, s.filename as string, {
      etag: false, // our ETag (Apache's format) is set above; send still honours it for 304/412
      lastModified: true,
      acceptRanges: status === 200,
      cacheControl: false,
      dotfiles: 'allow',
      index: false,
    });
    // Apache sends no Content-Type for an unknown extension; send would say octet-stream.
    (stream as unknown as { type: () => void }).type = () => undefined;
    stream.on('error', (err: { status?: number; headers?: Record<string, string> }) => {
      if (err.status === 412 && !res.headersSent) {
        // Apache's default handler: the file's headers (ETag, Last-Modified, type), no body.
        res.statusCode = 412;
        res.setHeader('Content-Length', '0');
        res.end();
        return;
      }
      for (const [k, v] of Object.entries(err.headers ?? {})) s.err_headers_out.push([k, v]);
      channel.abandonStream();
      resolve(err.status ?? 500);
    });
    stream.on('end', () => {
      const len = Number(res.getHeader('Content-Length') ?? 0);
      if (rec.method !== 'HEAD' && (res.statusCode === 200 || res.statusCode === 206)) channel.bytesSent += len;
    });
    const done = () => {
      channel.noteStreamed();
      resolve(OK);
    };
    res.once('finish', done);
    res.once('close', done);
    stream.pipe(res);
  });
}

/** Reads the file and runs it through the Python output filters (no ranges, no length). */
async function sendFiltered(rec: RequestRecord, filter: ChunkFilter): Promise<number> {
  const s = rec.s;
  const channel = rec.ex.channel;
  const status = rec.forcedStatus ?? 200;
  // The filters change the length: a Content-Length already in the tables does not describe it.
  const headers = responseHeaders(rec).filter(([k]) => k.toLowerCase() !== 'content-length');
  const st = rec.stats!;
  headers.push(['Last-Modified', st.mtime.toUTCString()], ['ETag', exactEtag(s.filename as string, st)]);
  // Like Apache's content-length filter: a body that is complete before anything is flushed
  // gets a Content-Length; a big one streams chunked.
  const pending: Buffer[] = [];
  let size = 0;
  let streaming = false;
  const emit = async (pieces: Buffer[]) => {
    for (const p of pieces) {
      if (streaming) {
        await channel.write(p);
        continue;
      }
      pending.push(p);
      size += p.length;
      if (size > FILTER_BUFFER_LIMIT) {
        streaming = true;
        channel.sendHead(status, null, headers);
        for (const q of pending.splice(0)) await channel.write(q);
      }
    }
  };
  for await (const chunk of createReadStream(s.filename as string)) {
    await emit(await filter(chunk as Buffer));
    if (channel.closed) break;
  }
  await emit(await filter(null));
  if (!streaming) {
    headers.push(['Content-Length', String(size)]);
    channel.sendHead(status, null, headers);
    await channel.end(rec.method === 'HEAD' ? undefined : Buffer.concat(pending));
    return OK;
  }
  await channel.end();
  return OK;
}

async function serveDirectory(rec: RequestRecord): Promise<number> {
  const s = rec.s;
  if (!s.uri.endsWith('/')) {
    // mod_dir: the trailing-slash redirect keeps the query string.
    const target = rec.absoluteUrl(encodeURI(s.uri) + '/') + (s.args ? `?${s.args}` : '');
    s.headers_out.push(['Location', target]);
    return 301;
  }
  const dirPath = (s.filename as string).endsWith('/') ? (s.filename as string) : `${s.filename}/`;
  const index = rec.dir.directoryIndex ?? ['index.html'];
  if (!(index.length === 1 && index[0]?.toLowerCase() === 'disabled')) {
    for (const name of index) {
      // An absolute DirectoryIndex ("/cgi/index.py") is a URI of its own.
      const candidateUri = name.startsWith('/') ? name : `${s.uri}${name}`;
      if (!name.startsWith('/')) {
        const st = tryStat(dirPath + name);
        if (!st || (!st.isFile() && !st.isDirectory())) continue;
      }
      return internalRedirect(rec, candidateUri + (s.args ? `?${s.args}` : ''), { method: rec.method });
    }
  }
  if (rec.dir.options?.indexes) {
    if (rec.method !== 'GET' && rec.method !== 'HEAD' && rec.method !== 'POST') {
      s.err_headers_out.push(['Allow', ALLOW_STATIC]);
      return 405;
    }
    rec.sync.set('content_type', LISTING_CONTENT_TYPE);
    const html = await renderListing(dirPath, s.uri, signatureFor(rec));
    const body = Buffer.from(html, 'latin1');
    rec.ex.channel.sendHead(rec.forcedStatus ?? 200, null, responseHeaders(rec, body.length));
    await rec.ex.channel.end(body);
    return OK;
  }
  rec.log(
    APLOG.ERR,
    `Cannot serve directory ${dirPath}: No matching DirectoryIndex (${index.join(',')}) found, and server-generated directory index forbidden by Options directive`,
    'autoindex',
    'AH01276',
  );
  return 403;
}
