/**
 * @module workers/types — the contract between the HTTP pipeline and the Python worker pools.
 * The pipeline never sees frames or processes: it opens a PythonRequest on an interpreter,
 * runs phases on it, and implements RequestHost so Python can read the body, send the
 * response and call back into the server. Pure types.
 */
import type { HandlerEntry, PoolSettings, PythonFilterSpec } from '../config/types.js';

/** Request facts that do not change during the request; sent to Python once per interpreter. */
export interface RequestHead {
  the_request: string; // "GET /x?y HTTP/1.1"
  method: string;
  method_number: number;
  protocol: string; // "HTTP/1.1"
  proto_num: number; // 1001
  unparsed_uri: string;
  hostname: string;
  request_time: number; // seconds since the epoch, float
  headers_in: [string, string][]; // in arrival order
  header_only: boolean; // HEAD
  expecting_100: boolean;
  clength_in: number | null; // request Content-Length, null if absent
  read_chunked: boolean;
  parsed_uri: (string | number | null)[]; // the 9-tuple of URI_* fields
  range: string | null;
  document_root: string;
  is_https: boolean;
  /** Internal redirect chain: rid of the previous/main request in the same worker, if any. */
  prev_rid?: number;
  main_rid?: number;
  /** The connection's fixed facts: one frozen object per client connection, so it goes to a
   *  worker once and by reference after that (docs/protocol.md, "References"). */
  connection: Readonly<ConnectionHead>;
  /** Requests served on this connection before this one (conn.keepalives). */
  keepalives: number;
  server: ServerInfo;
}

/** What Python's `req.connection` knows of a client connection besides its keep-alive count. */
export interface ConnectionHead {
  id: number;
  client_ip: string;
  client_port: number;
  local_ip: string;
  local_port: number;
  local_host: string | null;
  remote_host: string | null;
  keepalive: number; // AP_CONN_*
}

export interface ServerInfo {
  server_hostname: string;
  server_admin: string;
  port: number;
  is_virtual: boolean;
  defn_name: string;
  defn_line_number: number;
  error_fname: string;
  loglevel: number;
  timeout: number;
  keep_alive_timeout: number;
  keep_alive_max: number;
  keep_alive: boolean;
  names: string[];
  wild_names: string[];
  limit_req_line: number;
  limit_req_fieldsize: number;
  limit_req_fields: number;
  /** server.get_config()/get_options() of this server. */
  config: Record<string, string>;
  options: Record<string, string>;
}

/**
 * Mutable request state shared by Node and Python. Each side sends only the fields it changed
 * since the last exchange; tables are sent whole when changed, as ordered pairs.
 */
export interface RequestSync {
  uri: string;
  args: string | null;
  filename: string | null;
  canonical_filename: string | null;
  path_info: string | null;
  used_path_info: number;
  handler: string | null;
  content_type: string | null;
  content_encoding: string | null;
  content_languages: string[];
  status: number;
  status_line: string | null;
  user: string | null;
  ap_auth_type: string | null;
  no_cache: number;
  no_local_copy: number;
  mtime: number;
  clength: number;
  finfo: (number | string | null)[] | null; // FINFO_* 13-tuple, null when no file
  allowed_methods: string[];
  allowed_methods_reset: boolean;
  /** Request headers as the handlers see them: RequestHeader and Python may change them. */
  headers_in: [string, string][];
  headers_out: [string, string][];
  err_headers_out: [string, string][];
  subprocess_env: [string, string][];
  notes: [string, string][];
  /** Auth facts Python reads: AuthType/AuthName/Require. */
  auth_type: string | null;
  auth_name: string | null;
  requires: readonly string[];
  /** get_config()/get_options() of the merged per-directory config. */
  config: Record<string, string>;
  options: Record<string, string>;
  /** Output/input filters active for the request, as names (req.add_output_filter adds). */
  output_filters: string[];
  input_filters: string[];
  /** PythonOutputFilter/PythonInputFilter specs in effect (merged config, plus those Python's
   *  req.register_*_filter added): the worker runs the active Python filters over its own
   *  output and over req.read() with them. Names match case-insensitively. */
  python_filters?: PythonFilterSpec[];
  /** req.get_addhandler_exts(): the extensions `AddHandler mod_python` maps, space-separated. */
  addhandler_exts?: string;
}

export interface PhaseCall {
  phase: string; // "PythonHandler", "PythonAuthenHandler", …
  hlist: readonly HandlerEntry[]; // directories already resolved for regex sections; frozen when from the config
  extension: string | null; // the ".ext" that selected "Phase.ext", else null
  sync: Partial<RequestSync>; // what Node changed since the last exchange
}

/** What a worker sends back of a request's fields (phase.done, response.head, internal_redirect):
 *  RequestSync fields, plus subprocess_env in its packed form when the worker filled an empty
 *  table (docs/protocol.md, "What a phase changed"; unpacked by SyncTracker.apply). */
export type WorkerSync = Partial<RequestSync> & { subprocess_env_packed?: [string, string] };

export interface PhaseResult {
  /** The phase's integer result (OK=0, DECLINED=-1, DONE=-2, or an HTTP status). */
  status: number;
  /** What Python changed. */
  sync: WorkerSync;
  /** Handlers added by req.add_handler for later phases, by phase name. */
  addedHandlers?: Record<string, HandlerEntry[]>;
}

/** Response head produced by Python on its first flushed write (or at phase end). */
export interface ResponseHead {
  status: number;
  status_line: string | null;
  content_type: string | null;
  headers_out: [string, string][];
  err_headers_out: [string, string][];
  /** Set when Python knows the whole body (unflushed writes): Node sends Content-Length. */
  content_length: number | null;
  /** What the phase changed before the head left, besides the fields above (as phase.done's
   *  sync carries it; phase.done then carries only later changes). Applied before the head is
   *  built: Header env=/%{VAR}e, echo and the Range cut read those fields, as Apache's header
   *  filter reads the request when the first bytes leave. Absent when there is nothing. */
  sync?: WorkerSync;
}

/** A client socket lent to a worker: the libuv handle to pass, and whether the body is chunked
 *  (the worker then frames what it writes itself). */
export interface LentSocket {
  handle: object;
  chunked: boolean;
  /** The response head (status line and headers, CRLF-terminated) when Node has not sent it:
   *  the worker writes it before the body. */
  head?: string;
}

/** Implemented by the pipeline, called by the bridge on behalf of Python. */
export interface RequestHost {
  /** Next piece of the request body, up to `max` bytes; null at end of body. */
  readBody(max: number): Promise<Buffer | null>;
  startResponse(head: ResponseHead): void;
  /** Undefined when the bytes were taken at once; else resolves when the client can take more
   *  (rejects when it went away). No promise on the fast path: most writes are taken at once. */
  writeBody(chunk: Buffer): Promise<void> | undefined;
  /** Flush what was written so far to the client. */
  flush(): Promise<void> | undefined;
  /** req.sendfile: stream a file; resolves with the bytes sent. */
  sendFile(path: string, offset: number, length: number): Promise<number>;
  /** Lends the client socket for a direct write (docs/protocol.md "Direct writes"): resolves once
   *  the head and the body so far are in the kernel; null when this response cannot be written
   *  past Node (HEAD, 204/304, TLS, a Range cut, a closed client). */
  takeSocket(): Promise<LentSocket | null>;
  /** The worker is done with the lent socket: it wrote `bytes` body bytes (`wire` in all);
   *  `complete` false breaks the connection; `reached` false: the socket never got to the worker. */
  returnSocket(bytes: number, complete: boolean, reached: boolean, wire: number): void;
  /** log_error from Python: already formatted message, Apache level number. */
  log(level: number, message: string, scope: 'request' | 'server' | 'connection'): void;
  /** Server services Python asks for (internal_redirect, session store, global locks, …).
   *  Unknown methods reject with an Error whose message names the method. */
  call(method: string, args: Record<string, unknown>): Promise<unknown>;
}

export interface PythonRequest {
  readonly interpreter: string;
  readonly workerPid: number;
  runPhase(call: PhaseCall): Promise<PhaseResult>;
  /** Runs the Python output filter `name` over output Node produced (static files, other
   *  interpreters); `null` is end of stream. Output Python itself writes is filtered inside the
   *  worker, without this round trip. */
  filterOutput(name: string, chunk: Buffer | null): Promise<Buffer[]>;
  /** Opens a request that runs in the SAME worker while this one waits in a call — used for
   *  internal_redirect (req.prev/next) — the worker serves it nested, as mod_python does. */
  openChild(head: RequestHead, host: RequestHost, deadlineMs: number): Promise<PythonRequest>;
  /** Ends the request on the Python side (runs req.register_cleanup callbacks). */
  close(): Promise<void>;
}

/** Implemented by the connection listener for PythonConnectionHandler. */
export interface ConnectionHost {
  read(max: number): Promise<Buffer | null>; // null at EOF
  write(chunk: Buffer): Promise<void>;
  log(level: number, message: string): void;
}

/**
 * What each worker's `worker_init(channel, init)` receives (the bridge adds `interpreter`, the
 * pool's name). Keys are snake_case because Python reads them as they are.
 */
export interface WorkerInit {
  server: ServerInfo; // the main server
  config_tree: unknown; // apache.config_tree(): the parsed tree as nested lists
  defines: string[]; // -D names
  server_root: string;
  /** apache.mpm_query facts, keyed by the AP_MPMQ_* name lower-cased without the prefix
   *  ("is_threaded", "is_forked", "max_daemons", "max_threads", …). */
  mpm: Record<string, number>;
  python_optimize: boolean;
  /** Every PythonImport in config order; each worker runs those for its own interpreter. */
  imports: { module: string; interpreter: string }[];
}

/** Outcome errors the pipeline maps to statuses: see errors.ts (WORKER_*). */
export interface PythonGateway {
  /** Opens the request on the pool for `interpreter` (created on first use). The request is
   *  pinned to one worker until close(). Rejects with a coded error when the pool's queue is
   *  full (503) or no worker could be started (503). */
  open(
    interpreter: string,
    settings: PoolSettings,
    head: RequestHead,
    host: RequestHost,
    deadlineMs: number,
  ): Promise<PythonRequest>;
  /** Runs a PythonConnectionHandler for one accepted connection; resolves with its int result. */
  serveConnection(
    interpreter: string,
    settings: PoolSettings,
    handler: HandlerEntry,
    conn: ConnectionHead & { keepalives: number },
    server: ServerInfo,
    host: ConnectionHost,
  ): Promise<number>;
  /** Start the pools that PythonImport names, so imports run at start-up. */
  prestart(imports: { module: string; interpreter: string }[], settings: (interp: string) => PoolSettings): Promise<void>;
  /** Roll every worker: start replacements, then retire the old ones (no request dropped).
   *  `init`, when given, is what the replacements (and every worker started later) receive:
   *  a reloaded configuration's PythonImport list, config tree, defines and main server. */
  reload(init?: WorkerInit): Promise<void>;
  /** Stop accepting, let in-flight requests finish (up to timeoutMs), run server cleanups, exit workers. */
  shutdown(timeoutMs: number): Promise<void>;
  stats(): PoolStats[];
}

export interface PoolStats {
  interpreter: string;
  workers: { pid: number; state: string; requests: number; inflight: number; rssKiB: number }[];
  queued: number;
  restarts: Record<string, number>;
}
