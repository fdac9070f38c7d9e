/**
 * @module compat/lib/http — one request, one fresh connection: node:http with no agent (so no
 * connection reuse between requests) for HTTP cases, a raw TCP exchange for connection handlers
 * and malformed requests.
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';

export type Framing = 'length' | 'chunked' | 'close' | 'none';

export interface Reply {
  status: number;
  /** Lower-case names; repeated headers keep every value, in order. */
  headers: Map<string, string[]>;
  body: Buffer;
  framing: Framing;
}

export interface Outgoing {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const TIMEOUT_MS = 15_000;

function framingOf(headers: Map<string, string[]>, method: string, status: number): Framing {
  if (headers.get('transfer-encoding')?.some((v) => /chunked/i.test(v))) return 'chunked';
  if (headers.has('content-length')) return 'length';
  if (method === 'HEAD' || status === 204 || status === 304) return 'none';
  return 'close';
}

export function send(port: number, out: Outgoing): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const body = out.body === undefined ? undefined : Buffer.from(out.body, 'latin1');
    const headers: Record<string, string> = { Connection: 'keep-alive', ...out.headers };
    if (body && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length' || h.toLowerCase() === 'transfer-encoding')) {
      headers['Content-Length'] = String(body.length);
    }
    const req = httpRequest(
      { host: '127.0.0.1', port, method: out.method, path: out.path, headers, agent: false, timeout: TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const map = new Map<string, string[]>();
          const raw = res.rawHeaders;
          for (let i = 0; i + 1 < raw.length; i += 2) {
            const name = (raw[i] ?? '').toLowerCase();
            const list = map.get(name) ?? [];
            list.push(raw[i + 1] ?? '');
            map.set(name, list);
          }
          // Every request gets its own connection: close it rather than keep it alive.
          res.socket?.destroy();
          resolve({ status: res.statusCode ?? 0, headers: map, body: Buffer.concat(chunks), framing: framingOf(map, out.method, res.statusCode ?? 0) });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends `text` over a plain TCP connection and returns everything received until the peer closes. */
export function sendRaw(port: number, text: string, settleMs = 1500): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    // Connection handlers may keep the socket open: stop once the peer has been quiet for settleMs.
    const arm = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => sock.destroy(), settleMs);
    };
    sock.on('connect', () => {
      sock.write(Buffer.from(text, 'latin1'));
      arm();
    });
    sock.on('data', (c: Buffer) => {
      chunks.push(c);
      arm();
    });
    sock.on('error', (e) => {
      if (timer) clearTimeout(timer);
      if (chunks.length > 0) resolve(Buffer.concat(chunks));
      else reject(e);
    });
    sock.on('close', () => {
      if (timer) clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
}

/** Parses a raw HTTP response enough to compare it like a node:http one. */
export function parseRawReply(buf: Buffer, method: string): Reply {
  const text = buf.toString('latin1');
  const m = /^HTTP\/\d\.\d (\d{3})[^\r\n]*\r?\n/.exec(text);
  if (!m) return { status: 0, headers: new Map(), body: buf, framing: 'close' };
  const headEnd = text.indexOf('\r\n\r\n');
  const head = headEnd < 0 ? text : text.slice(0, headEnd);
  const map = new Map<string, string[]>();
  for (const line of head.split(/\r?\n/).slice(1)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    map.set(name, [...(map.get(name) ?? []), line.slice(i + 1).trim()]);
  }
  let body = headEnd < 0 ? Buffer.alloc(0) : buf.subarray(Buffer.byteLength(text.slice(0, headEnd + 4), 'latin1'));
  const status = Number(m[1]);
  const framing = framingOf(map, method, status);
  if (framing === 'chunked') body = dechunk(body);
  return { status, headers: map, body, framing };
}

function dechunk(buf: Buffer): Buffer {
  const parts: Buffer[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const eol = buf.indexOf('\r\n', pos);
    if (eol < 0) break;
    const size = parseInt(buf.subarray(pos, eol).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    pos = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
