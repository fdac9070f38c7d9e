/**
 * @module http/server — the HTTP front end: one node:http server per Listen, keep-alive and
 * timeouts from the config, Apache's request limits, vhost choice by Host, one Exchange +
 * RequestRecord per request handed to the pipeline. Swapping the Site (SIGHUP) affects new
 * requests only; drain() stops accepting and waits for the requests in flight.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ListenSpec } from '../config/types.js';
import { APLOG } from '../logs/log-level.js';
import { BodyReader } from '../pipeline/body-reader.js';
import { selectVirtualHost } from '../pipeline/config-api.js';
import { connectionHead, RequestRecord, type ConnectionInfo, type Exchange } from '../pipeline/request-record.js';
import { ResponseChannel } from '../pipeline/response.js';
import { rejectRequest, runRequest } from '../pipeline/runner.js';
import type { Site } from '../pipeline/site.js';
import { splitQuery } from '../pipeline/request-target.js';
import { checkRequestLimits, nodeParserSizes, overflowViolation, type RequestLimits } from './request-limits.js';
import { writeRawError } from './raw-error.js';
import { connectionHandlerServer, hasConnectionHandlers, serveConnection } from './connection-listener.js';

/** Request headers in arrival order, repeated names merged with ", " at the first one's place
 *  (Apache compresses r->headers_in that way before any module sees it). */
export function mergedHeaders(raw: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  let seen: Map<string, [string, string]> | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    const key = name.toLowerCase();
    seen ??= new Map();
    const prev = seen.get(key);
    if (prev) {
      prev[1] = `${prev[1]}, ${value}`;
      continue;
    }
    const entry: [string, string] = [name, value];
    seen.set(key, entry);
    out.push(entry);
  }
  return out;
}

function listenKey(l: ListenSpec): string {
  return `${l.address ?? '*'}|${l.port}`;
}

function limitsOf(site: Site): RequestLimits {
  const i = site.main.info;
  return { line: i.limit_req_line, fieldSize: i.limit_req_fieldsize, fields: i.limit_req_fields };
}

function stripBrackets(a: string): string {
  return a.startsWith('[') && a.endsWith(']') ? a.slice(1, -1) : a;
}

/** "::ffff:127.0.0.1" → "127.0.0.1", as Apache prints IPv4 clients on a dual-stack socket. */
function plainIp(ip: string | undefined): string {
  if (!ip) return '';
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

export class HttpFrontEnd {
  #site: Site;
  #limits: RequestLimits;
  readonly #servers = new Map<string, Server>();
  /** With PythonConnectionHandler in the configuration, a plain TCP listener decides per
   *  connection between Python and HTTP; it is what listens, keyed like #servers. */
  readonly #fronts = new Map<string, NetServer>();
  readonly #conns = new WeakMap<Socket, ConnectionInfo>();
  #connSeq = 0;
  #inflight = 0;
  #draining = false;
  #drainingServers: Server[] = [];
  #idleWaiters: (() => void)[] = [];

  constructor(site: Site) {
    this.#site = site;
    this.#limits = limitsOf(site);
  }

  get site(): Site {
    return this.#site;
  }

  get inflight(): number {
    return this.#inflight;
  }

  /** Opens every Listen of the current site; rejects (nothing left open) if one fails. */
  async listen(): Promise<void> {
    try {
      for (const l of this.#site.cfg.listen) await this.#open(l);
    } catch (err) {
      await this.#closeAll();
      throw err;
    }
  }

  /** Addresses actually bound, "addr:port". */
  addresses(): string[] {
    const out: string[] = [];
    for (const [key, http] of this.#servers) {
      const s = this.#fronts.get(key) ?? http;
      const a = s.address();
      if (a && typeof a === 'object') out.push(a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`);
    }
    return out;
  }

  /** The settings a reload may change: Node reads these properties per connection or per
   *  check, so a running server takes them for new connections. */
  #configure(server: Server): void {
    const info = this.#site.main.info;
    server.maxHeadersCount = nodeParserSizes(this.#limits).maxHeadersCount;
    server.keepAliveTimeout = info.keep_alive ? Math.max(1, info.keep_alive_timeout * 1000) : 1;
    server.maxRequestsPerSocket = info.keep_alive ? info.keep_alive_max : 1;
    server.headersTimeout = Math.max(1, info.timeout * 1000);
    server.requestTimeout = 0; // body reads have their own Timeout (BodyReader)
    server.timeout = 0;
  }

  async #open(l: ListenSpec): Promise<void> {
    const key = listenKey(l);
    if (this.#servers.has(key)) return;
    const info = this.#site.main.info;
    // Only what Node takes at construction; the rest is #configure's. A listener keeps both
    // for its life: after a SIGHUP that raises LimitRequestLine/-FieldSize/-Fields, a request
    // over the parser size of the old limits still fails as a parser overflow (414/400) until
    // a restart (Node has no documented way to resize a running server's parser).
    const server = createServer({
      maxHeaderSize: nodeParserSizes(this.#limits).maxHeaderSize,
      // Node checks header timeouts on this period: keep it well under Timeout.
      connectionsCheckingInterval: Math.min(30000, Math.max(100, (info.timeout * 1000) / 4)),
      // We answer a missing Host ourselves, with Apache's page and log line.
      requireHostHeader: false,
    });
    // A client that half-closes after sending its requests (`printf … | nc`, some HTTP/1.0
    // tools) still gets every answer, then the connection closes — as from Apache. Node's
    // default ends the socket at once and the answers are lost.
    (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
    this.#configure(server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.#onRequest(req, res));
    server.on('clientError', (err: Error, socket: Duplex) => this.#onClientError(err, socket));
    // Connection facts are taken while the socket is fresh (its addresses vanish on close).
    server.on('connection', (socket: Socket) => void this.#connection(socket));
    const host = l.address === null ? undefined : stripBrackets(l.address);
    const listener: NetServer = hasConnectionHandlers(this.#site) ? this.#connectionFront(server) : server;
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen({ port: l.port, host, ipv6Only: false }, () => {
        listener.off('error', reject);
        resolve();
      });
    });
    this.#servers.set(key, server);
    if (listener !== server) this.#fronts.set(key, listener);
  }

  /** A TCP listener that gives connections to PythonConnectionHandler or to `http`. */
  #connectionFront(http: Server): NetServer {
    return createNetServer((socket) => {
      const site = this.#site;
      const conn = this.#connection(socket);
      const ctx = connectionHandlerServer(site, conn.localIp, conn.localPort);
      if (!ctx) {
        http.emit('connection', socket);
        return;
      }
      this.#inflight++;
      serveConnection(site, ctx, socket, conn).then(
        () => this.#requestDone(),
        () => this.#requestDone(),
      );
    });
  }

  /** Swaps in a new Site: new requests use it; listeners follow its Listen lines. */
  async swap(site: Site): Promise<void> {
    const wanted = new Map(site.cfg.listen.map((l) => [listenKey(l), l]));
    this.#site = site;
    this.#limits = limitsOf(site);
    for (const l of wanted.values()) await this.#open(l);
    for (const [key, server] of this.#servers) {
      if (!wanted.has(key)) {
        this.#servers.delete(key);
        this.#fronts.get(key)?.close();
        this.#fronts.delete(key);
        server.close();
        server.closeIdleConnections();
      } else this.#configure(server);
    }
  }

  #connection(socket: Socket): ConnectionInfo {
    let c = this.#conns.get(socket);
    if (!c) {
      c = { id: ++this.#connSeq, clientIp: plainIp(socket.remoteAddress), clientPort: socket.remotePort ?? 0, localIp: plainIp(socket.localAddress), localPort: socket.localPort ?? 0, served: 0, counted: { read: 0, written: 0 } };
      connectionHead(c); // made now, so the per-request snapshots share it
      this.#conns.set(socket, c);
    }
    return c;
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    this.#inflight++;
    this.#handle(req, res).then(
      () => this.#requestDone(),
      (err: unknown) => {
        this.#site.main.errorLog.log(APLOG.ERR, `request failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        if (!res.headersSent) res.writeHead(500);
        if (!res.writableEnded) res.end();
        this.#requestDone();
      },
    );
  }

  #requestDone(): void {
    if (--this.#inflight === 0) {
      const w = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const f of w) f();
    }
    if (this.#draining) for (const s of this.#drainingServers) s.closeIdleConnections();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const site = this.#site;
    const conn = this.#connection(req.socket);
    const snapshot: ConnectionInfo = { ...conn };
    conn.served++;
    let url = req.url ?? '/';
    let host = req.headers.host;
    // Absolute-form request target: the URL's authority wins over the Host header (RFC 9112 §3.2.2).
    const abs = url.charCodeAt(0) === 47 /* '/' */ ? null : /^https?:\/\/([^/?#]*)(.*)$/i.exec(url);
    if (abs) {
      host = abs[1];
      url = abs[2] || '/';
    }
    const serverConf = selectVirtualHost(site.cfg, snapshot.localIp, snapshot.localPort, host);
    const ctx = site.context(serverConf);
    const channel = new ResponseChannel(res, site.banner, ctx.info.keep_alive && !this.#draining);
    const headersIn = mergedHeaders(req.rawHeaders);
    const chain: RequestRecord[] = [];
    const ex: Exchange = {
      req,
      channel,
      conn: snapshot,
      body: new BodyReader(req, chain, ctx.info.timeout * 1000),
      startMs: Date.now(),
      startHr: process.hrtime.bigint(),
      theRequest: `${req.method} ${req.url} HTTP/${req.httpVersion}`,
      headersIn,
      isHttps: false,
      chain,
      cleanups: [],
    };
    const { path, query } = splitQuery(url);
    const rec = new RequestRecord(site, ctx, ex, {
      uri: path,
      args: query,
      method: req.method ?? 'GET',
      unparsedUri: url,
    });
    const violation = checkRequestLimits(req, this.#limits);
    if (violation) {
      rec.errorNotes = violation.notes;
      rec.log(APLOG.INFO, violation.log, 'core', violation.aplogno);
      return rejectRequest(rec, violation.status);
    }
    if (req.httpVersionMinor >= 1 && req.httpVersionMajor === 1 && host === undefined) {
      rec.log(APLOG.ERR, 'client sent HTTP/1.1 request without hostname (see RFC2616 section 14.23): ' + url, 'core', 'AH00569');
      return rejectRequest(rec, 400);
    }
    return runRequest(rec);
  }

  #onClientError(err: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex): void {
    // A response in progress owns the connection (it may be lent to a worker writing a body).
    const busy = Boolean((socket as { _httpMessage?: unknown })._httpMessage);
    // Bytes after a request that said "Connection: close": httpd answers that request and
    // ignores them; the connection closes after the answer anyway.
    if (busy && err.code === 'HPE_CLOSED_CONNECTION') return;
    // An error page would cut into the busy response's bytes. Node's own handler holds back too.
    if (err.code === 'ECONNRESET' || !socket.writable || busy) {
      socket.destroy();
      return;
    }
    const log = this.#site.main.errorLog;
    const sock = socket as Socket;
    const client = `${plainIp(sock.remoteAddress)}:${sock.remotePort ?? 0}`;
    let status = 400;
    let notes = '';
    if (err.code === 'HPE_HEADER_OVERFLOW') {
      const violation = overflowViolation(err.rawPacket, this.#limits);
      status = violation.status;
      notes = violation.notes;
      log.log(APLOG.INFO, violation.log, { client, aplogno: violation.aplogno });
    } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      status = 408;
      log.log(APLOG.INFO, 'request failed: timeout waiting for the request', { client, aplogno: 'AH00567' });
    } else {
      log.log(APLOG.INFO, `request failed: malformed request (${err.code ?? err.message})`, { client, aplogno: 'AH00566' });
    }
    writeRawError(socket, status, this.#site.banner, notes);
  }

  /** Stops accepting, lets requests in flight finish (up to timeoutMs), then cuts the rest. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.#draining = true;
    const servers = [...this.#servers.values()];
    this.#servers.clear();
    for (const f of this.#fronts.values()) f.close();
    this.#fronts.clear();
    // close() once per server: a second close() after 'close' was emitted never calls back.
    const closed = servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
    for (const s of servers) s.closeIdleConnections();
    this.#drainingServers = servers;
    let clean = true;
    if (this.#inflight > 0) {
      clean = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        this.#idleWaiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    }
    for (const s of servers) s.closeAllConnections();
    await Promise.all(closed);
    return clean;
  }

  async #closeAll(): Promise<void> {
    const servers = [...this.#servers.values()];
    this.#servers.clear();
    for (const f of this.#fronts.values()) f.close();
    this.#fronts.clear();
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
  }
}
