/**
 * @module pipeline/request-host — RequestHost for one request record: what the bridge calls on
 * behalf of Python (body, response head and body with backpressure, sendfile, log_error, and
 * server calls: internal_redirect here, everything else through the ServiceRegistry).
 */
import { createReadStream } from 'node:fs';
import type { RequestHost, ResponseHead } from '../workers/types.js';
import type { ServiceContext } from '../services/registry.js';
import type { RequestRecord } from './request-record.js';
import { responseHeaders } from './response-headers.js';
import { internalRedirect } from './runner.js';

/** Sends the head from the record's current state (Python wrote without a head, or returned OK silently). */
export function startFromRecord(rec: RequestRecord, contentLength: number | null): void {
  const s = rec.s;
  rec.ex.channel.sendHead(rec.forcedStatus ?? s.status, s.status_line, responseHeaders(rec, s.status, contentLength));
}

export function createRequestHost(rec: RequestRecord, interpreter: string): RequestHost {
  const channel = rec.ex.channel;
  return {
    readBody: (max) => rec.ex.body.read(max),

    startResponse(head: ResponseHead): void {
      rec.sync.apply({
        status: head.status,
        status_line: head.status_line,
        content_type: head.content_type,
        headers_out: head.headers_out,
        err_headers_out: head.err_headers_out,
      });
      startFromRecord(rec, head.content_length);
    },

    writeBody(chunk: Buffer): Promise<void> {
      if (!channel.headSent) startFromRecord(rec, null);
      return channel.write(chunk);
    },

    flush(): Promise<void> {
      if (!channel.headSent) startFromRecord(rec, null);
      return Promise.resolve();
    },

    async sendFile(path: string, offset: number, length: number): Promise<number> {
      if (!channel.headSent) startFromRecord(rec, null);
      let sent = 0;
      const end = length >= 0 ? offset + length - 1 : undefined;
      if (length === 0) return 0;
      for await (const chunk of createReadStream(path, { start: offset, end })) {
        sent += (chunk as Buffer).length;
        await channel.write(chunk as Buffer);
      }
      return sent;
    },

    log(level: number, message: string, scope: 'request' | 'server' | 'connection'): void {
      if (scope === 'request') rec.log(level, message, 'python');
      else rec.server.errorLog.log(level, message, { module: 'python' });
    },

    async call(method: string, args: Record<string, unknown>): Promise<unknown> {
      if (method === 'internal_redirect') {
        const uri = args.uri;
        if (typeof uri !== 'string' || !uri.startsWith('/')) throw new Error(`internal_redirect needs a local URI, got ${JSON.stringify(uri)}`);
        await internalRedirect(rec, uri, { method: rec.method });
        return null;
      }
      const ctx: ServiceContext = {
        interpreter,
        workerPid: rec.python.get(interpreter)?.req.workerPid ?? 0,
        onEnd: (cleanup) => rec.ex.cleanups.push(cleanup),
      };
      return rec.site.services.call(method, args, ctx);
    },
  };
}
