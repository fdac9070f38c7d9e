/**
 * @module pipeline/request-record — the state of one request as it goes through the phases:
 * the immutable request facts (RequestHead for Python), the shared mutable fields (SyncTracker),
 * Node-only state (per-dir config, stat result, Python requests opened per interpreter), and the
 * HTTP exchange it belongs to (shared with internal redirects).
 */
import type { IncomingMessage } from 'node:http';
import type { Stats } from 'node:fs';
import type { DirConfig, HandlerEntry } from '../config/types.js';
import type { ConnectionHead, PythonRequest, RequestHead } from '../workers/types.js';
import type { ResponseChannel } from './response.js';
import type { BodyReader } from './body-reader.js';
import type { ServerContext, Site } from './site.js';
import { initialSync, SyncTracker } from './request-sync.js';
import { levelAllows, mergeLogLevel } from './dir-log-level.js';
import { parseHostHeader, splitQuery } from './request-target.js';

/** Per-connection facts (kept across keep-alive requests). */
export interface ConnectionInfo {
  id: number;
  clientIp: string;
  clientPort: number;
  localIp: string;
  localPort: number;
  /** Requests served before the current one on this connection. */
  served: number;
  /** Python's view of it (connectionHead), made once per connection; per-request snapshots
   *  of this record share it. */
  pythonHead?: Readonly<ConnectionHead>;
  /** The socket's byte counters when the previous exchange on it ended (%I/%O are per
   *  request; Node's counters are per connection). One object, shared by the per-request
   *  snapshots of this record. */
  readonly counted: { read: number; written: number };
}

/** The connection as Python's conn object sees it (RequestHead.connection): one frozen object
 *  per connection, so keep-alive requests send it to a worker once (by reference after that). */
export function connectionHead(conn: ConnectionInfo): Readonly<ConnectionHead> {
  conn.pythonHead ??= Object.freeze({
    id: conn.id,
    client_ip: conn.clientIp,
    client_port: conn.clientPort,
    local_ip: conn.localIp,
    local_port: conn.localPort,
    local_host: null,
    remote_host: null,
    keepalive: 0, // AP_CONN_UNKNOWN: Apache decides keep-alive after the response
  });
  return conn.pythonHead;
}

/** One HTTP request/response exchange; internal redirects share it. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly channel: ResponseChannel;
  readonly conn: ConnectionInfo;
  readonly body: BodyReader;
  readonly startMs: number;
  readonly startHr: bigint;
  readonly theRequest: string;
  /** Raw request headers in arrival order. */
  readonly headersIn: [string, string][];
  readonly isHttps: boolean;
  /** Every record of the internal-redirect chain, first to last. */
  readonly chain: RequestRecord[];
  /** Run when the exchange ends (services free what a request forgot, e.g. locks). */
  readonly cleanups: (() => void)[];
}

/** Apache's M_* numbers by method name (httpd.h; HEAD is M_GET with header_only). The WebDAV
 *  method names carry hyphens ("VERSION-CONTROL"), unlike the constants' names. */
const METHOD_NUMBERS: Readonly<Record<string, number>> = {
  GET: 0, HEAD: 0, PUT: 1, POST: 2, DELETE: 3, CONNECT: 4, OPTIONS: 5, TRACE: 6, PATCH: 7, PROPFIND: 8,
  PROPPATCH: 9, MKCOL: 10, COPY: 11, MOVE: 12, LOCK: 13, UNLOCK: 14, 'VERSION-CONTROL': 15, CHECKOUT: 16,
  UNCHECKOUT: 17, CHECKIN: 18, UPDATE: 19, LABEL: 20, REPORT: 21, MKWORKSPACE: 22, MKACTIVITY: 23,
  'BASELINE-CONTROL': 24, MERGE: 25,
};

export function methodNumber(method: string): number {
  return METHOD_NUMBERS[method] ?? 26; // M_INVALID
}

export interface OpenPython {
  req: PythonRequest;
  /** Sync generation this PythonRequest has seen. */
  seen: number;
}

export class RequestRecord {
  readonly site: Site;
  server: ServerContext;
  readonly ex: Exchange;
  readonly method: string;
  readonly unparsedUri: string;
  /** Host header without port, lower-case (Apache's r->hostname). */
  readonly hostname: string;
  /** The Host header's port, null when it names none. */
  readonly #hostPort: number | null;
  readonly sync: SyncTracker;
  /** Merged per-directory config in effect (server defaults until map-to-storage). */
  dir: DirConfig;
  /** The DocumentRoot or Alias target the filename lives under (walk floor). */
  base = '';
  stats: Stats | null = null;
  /** True when mod_python's Location short-cut skipped the URI-to-file mapping. */
  locationShortcut = false;
  /** The URI was mapped by ScriptAlias: a CGI program (see content.ts). */
  scriptAliased = false;
  /** Handlers added by req.add_handler, by phase directive. */
  readonly addedHandlers = new Map<string, HandlerEntry[]>();
  /** One PythonRequest per interpreter, opened on first use. */
  readonly python = new Map<string, OpenPython>();
  /** The head sent to Python (built lazily, once). */
  #head: RequestHead | null = null;
  /** Internal redirect chain. */
  readonly prev: RequestRecord | null;
  /** Status forced on the response by an ErrorDocument redirect. */
  forcedStatus: number | null = null;
  /** Error notes for the 400-family pages. */
  errorNotes = '';
  /** The server-level PythonInitHandler list that ran at post-read-request. */
  initRan: readonly HandlerEntry[] | null = null;
  /** Set by the access step: authentication and authorization must run. */
  authRequired = false;
  /** Number of internal redirects before this record. */
  readonly depth: number;

  readonly #headersInAtStart: [string, string][];

  constructor(site: Site, server: ServerContext, ex: Exchange, opts: { uri: string; args: string | null; method: string; unparsedUri: string; prev?: RequestRecord }) {
    this.site = site;
    this.server = server;
    this.ex = ex;
    this.method = opts.method;
    this.unparsedUri = opts.unparsedUri;
    const host = parseHostHeader(ex.req.headers.host);
    this.hostname = host.name;
    this.#hostPort = host.port;
    this.#headersInAtStart = opts.prev ? opts.prev.s.headers_in : ex.headersIn;
    this.sync = new SyncTracker(initialSync(opts.uri, opts.args, this.#headersInAtStart));
    this.dir = server.conf.dirDefaults;
    this.prev = opts.prev ?? null;
    this.depth = opts.prev ? opts.prev.depth + 1 : 0;
  }

  get s() {
    return this.sync.state;
  }

  /** The port this request was received on, or ServerName's port (UseCanonicalName Off + Host port). */
  get port(): number {
    return this.#hostPort ?? this.ex.conn.localPort;
  }

  /** Builds "http://host:port/path" for Location headers (ap_construct_url). */
  absoluteUrl(path: string): string {
    const scheme = this.ex.isHttps ? 'https' : 'http';
    const host = this.ex.req.headers.host || `${this.server.info.server_hostname}:${this.ex.conn.localPort}`;
    return `${scheme}://${host}${path}`;
  }

  clientString(): string {
    return `${this.ex.conn.clientIp}:${this.ex.conn.clientPort}`;
  }

  /** Logs into the server's error log with Apache's client prefix. */
  log(level: number, message: string, module = 'core', aplogno?: string): void {
    const log = this.server.errorLog;
    const dirLevel = this.dir.logLevel;
    if (dirLevel === undefined) {
      if (!log.enabled(level, module)) return;
      log.log(level, message, { module, client: this.clientString(), aplogno });
      return;
    }
    // A LogLevel in the request's directory decides instead of the server's (httpd 2.4).
    if (!levelAllows(mergeLogLevel(this.server.logLevel, dirLevel), level, module)) return;
    log.log(level, message, { module, client: this.clientString(), aplogno, always: true });
  }

  head(): RequestHead {
    if (this.#head) return this.#head;
    const ex = this.ex;
    const { path, query } = splitQuery(this.unparsedUri);
    const cl = ex.req.headers['content-length'];
    const conn = ex.conn;
    this.#head = {
      the_request: ex.theRequest,
      method: this.method,
      method_number: methodNumber(this.method),
      protocol: `HTTP/${ex.req.httpVersion}`,
      proto_num: ex.req.httpVersionMajor * 1000 + ex.req.httpVersionMinor,
      unparsed_uri: this.unparsedUri,
      hostname: this.hostname || this.server.info.server_hostname,
      request_time: ex.startMs / 1000,
      // As the record started with them (an internal redirect's: its parent's, changes kept);
      // later changes (RequestHeader) reach the worker once, through the sync.
      headers_in: this.#headersInAtStart,
      header_only: this.method === 'HEAD',
      expecting_100: /100-continue/i.test(ex.req.headers.expect ?? ''),
      clength_in: cl === undefined ? null : Number(cl),
      read_chunked: /chunked/i.test(ex.req.headers['transfer-encoding'] ?? ''),
      parsed_uri: [null, null, null, null, null, this.port, path, query, null],
      // r->range is filled by Apache's byterange filter, after the handler: None while it runs.
      range: null,
      document_root: this.server.documentRoot,
      is_https: ex.isHttps,
      connection: connectionHead(conn),
      keepalives: conn.served,
      server: this.server.info,
    };
    return this.#head;
  }
}
