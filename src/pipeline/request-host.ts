/**
 * @module pipeline/request-host — RequestHost for one request record: what the bridge calls on
 * behalf of Python (body, response head and body with backpressure, sendfile, log_error, and
 * server calls: internal_redirect here, everything else through the ServiceRegistry).
 */
import { createReadStream } from 'node:fs';
import { APLOG } from '../logs/log-level.js';
import type { RequestHost, ResponseHead, WorkerSync } from '../workers/types.js';
import type { ServiceContext } from '../services/registry.js';
import type { RequestRecord } from './request-record.js';
import { responseHeaders } from './response-headers.js';
import { applyWorkerSync } from './request-headers.js';
import { internalRedirect } from './runner.js';
import { rangeSlicer, singleRange, type RangeCut } from './byte-range.js';

/** Apache cuts a range from handler output only for a plain GET without If-Range. */
function rangeFor(rec: RequestRecord, length: number): RangeCut | null {
  const h = rec.ex.req.headers;
  if (rec.method !== 'GET' || h['if-range'] !== undefined || rec.s.content_encoding) return null;
  if (rec.s.headers_out.some(([k]) => k.toLowerCase() === 'content-range')) return null;
  return singleRange(h.range, length);
}

/** Sends the head from the record's current state (Python wrote without a head, or returned OK silently). */
export function startFromRecord(rec: RequestRecord, contentLength: number | null): void {
  const s = rec.s;
  rec.ex.channel.sendHead(rec.forcedStatus ?? s.status, s.status_line, responseHeaders(rec, contentLength));
}

export function createRequestHost(rec: RequestRecord, interpreter: string): RequestHost {
  const channel = rec.ex.channel;
  // Set when a Range request is answered with 206 from a body of known length.
  let slice: ((chunk: Buffer) => Buffer | null) | null = null;
  let callContext: ServiceContext | undefined;
  const out = (chunk: Buffer): Promise<void> | undefined => {
    if (!slice) return channel.write(chunk);
    const part = slice(chunk);
    return part ? channel.write(part) : undefined;
  };
  return {
    readBody: (max) => rec.ex.body.read(max),

    startResponse(head: ResponseHead): void {
      // The phase's other changes so far first (subprocess_env, headers_in …): the head below
      // is built from them, as Apache's header filter reads r->subprocess_env & co when the
      // first bytes leave.
      if (head.sync !== undefined) applyWorkerSync(rec, head.sync);
      rec.sync.apply({
        status: head.status,
        status_line: head.status_line,
        content_type: head.content_type,
        headers_out: head.headers_out,
        err_headers_out: head.err_headers_out,
      });
      const cut = head.status === 200 && head.content_length !== null ? rangeFor(rec, head.content_length) : null;
      if (!cut) {
        startFromRecord(rec, head.content_length);
        return;
      }
      slice = rangeSlicer(cut);
      rec.s.headers_out.push(['Content-Range', `bytes ${cut.start}-${cut.end}/${cut.total}`]);
      rec.sync.touch('headers_out');
      rec.sync.set('status', 206);
      startFromRecord(rec, cut.end - cut.start + 1);
    },

    writeBody(chunk: Buffer): Promise<void> | undefined {
      if (!channel.headSent) startFromRecord(rec, null);
      return out(chunk);
    },

    flush(): undefined {
      if (!channel.headSent) startFromRecord(rec, null);
      return undefined;
    },

    async sendFile(path: string, offset: number, length: number): Promise<number> {
      if (!channel.headSent) startFromRecord(rec, null);
      let sent = 0;
      const end = length >= 0 ? offset + length - 1 : undefined;
      if (length === 0) return 0;
      for await (const chunk of createReadStream(path, { start: offset, end })) {
        sent += (chunk as Buffer).length;
        await out(chunk as Buffer);
      }
      return sent;
    },

    takeSocket() {
      if (!channel.headSent) startFromRecord(rec, null);
      // A Range cut is made here, byte by byte: it cannot happen past Node.
      return slice ? Promise.resolve(null) : channel.lend();
    },

    returnSocket(bytes: number, complete: boolean, reached: boolean, wire: number): void {
      channel.giveBack(bytes, complete, reached, wire);
      if (reached) rec.log(APLOG.DEBUG, `worker wrote ${bytes} body bytes to the client directly${complete ? '' : ' before the write broke off'}`, 'modpy');
    },

    log(level: number, message: string, scope: 'request' | 'server' | 'connection'): void {
      if (scope === 'request') rec.log(level, message, 'python');
      else rec.server.errorLog.log(level, message, { module: 'python' });
    },

    async call(method: string, args: Record<string, unknown>): Promise<unknown> {
      if (method === 'internal_redirect') {
        const uri = args.uri;
        if (typeof uri !== 'string' || !uri.startsWith('/')) throw new Error(`internal_redirect needs a local URI, got ${JSON.stringify(uri)}`);
        // What the phase changed so far (it would come with phase.done): the new request starts
        // from it, as from a finished phase.
        const sync = args.sync;
        if (sync !== null && typeof sync === 'object' && !Array.isArray(sync)) applyWorkerSync(rec, sync as WorkerSync);
        await internalRedirect(rec, uri, { method: rec.method });
        return null;
      }
      // One context per request (made at its first call: the request runs on its worker by then),
      // so services keep one cleanup per request, not one per call (services/index.ts dropAtEnd).
      callContext ??= {
        interpreter,
        workerPid: rec.python.get(interpreter)?.req.workerPid ?? 0,
        onEnd: (cleanup) => rec.ex.cleanups.push(cleanup),
      };
      return rec.site.services.call(method, args, callContext);
    },
  };
}
