/**
 * Shared pieces of the worker-bridge tests: a gateway on real Python workers running the fixture
 * dispatch module (python/tests/fixtures/bridge_dispatch.py), a RequestHost that records what
 * Python sent, and helpers to run one request end to end.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { PoolSettings } from '../../../src/config/types.js';
import { ServiceRegistry } from '../../../src/services/registry.js';
import { createGateway } from '../../../src/workers/gateway.js';
import type { PhaseResult, PythonGateway, PythonRequest, RequestHead, RequestHost, ResponseHead, ServerInfo, WorkerInit } from '../../../src/workers/types.js';

export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../python');

export function poolSettings(over: Partial<PoolSettings> = {}): PoolSettings {
  return {
    python: process.env.MODPY_TEST_PYTHON ?? 'python3',
    minProcesses: 1,
    maxProcesses: 1,
    idleTimeoutMs: 0,
    maxRequests: 0,
    maxRequestsJitter: 0,
    maxMemoryMiB: 0,
    requestTimeoutMs: 10_000,
    graceMs: 500,
    startupTimeoutMs: 10_000,
    queueLimit: 100,
    pipeline: 4,
    directWriteMin: 256 * 1024,
    spinUs: 0,
    ...over,
    env: { MODPY_DISPATCH_MODULE: 'tests.fixtures.bridge_dispatch', ...(over.env ?? {}) },
  };
}

export const SERVER: ServerInfo = {
  server_hostname: 'localhost',
  server_admin: 'admin@localhost',
  port: 80,
  is_virtual: false,
  defn_name: '/etc/site.conf',
  defn_line_number: 1,
  error_fname: 'error.log',
  loglevel: 4,
  timeout: 60,
  keep_alive_timeout: 5,
  keep_alive_max: 100,
  keep_alive: true,
  names: [],
  wild_names: [],
  limit_req_line: 8190,
  limit_req_fieldsize: 8190,
  limit_req_fields: 100,
  config: {},
  options: {},
};

export const INIT: WorkerInit = {
  server: SERVER,
  config_tree: [],
  defines: [],
  server_root: '/tmp',
  mpm: { is_threaded: 0, is_forked: 1 },
  python_optimize: false,
  imports: [],
};

export interface LogLine {
  level: number;
  message: string;
  pid?: number;
}

export interface TestGateway {
  gateway: PythonGateway;
  logs: LogLine[];
  services: ServiceRegistry;
}

export function startGateway(housekeepingMs = 1000): TestGateway {
  const logs: LogLine[] = [];
  const services = new ServiceRegistry();
  services.register('echo', async (args, ctx) => ({ args, rid: ctx.rid ?? null, interpreter: ctx.interpreter }));
  const gateway = createGateway({
    packageDir: PACKAGE_DIR,
    log: (level, message, meta) => logs.push({ level, message, pid: meta?.pid }),
    services,
    init: INIT,
    housekeepingMs,
  });
  return { gateway, logs, services };
}

export function makeHead(uri: string, over: Partial<RequestHead> = {}): RequestHead {
  const method = over.method ?? 'GET';
  return {
    the_request: `${method} ${uri} HTTP/1.1`,
    method,
    method_number: 0,
    protocol: 'HTTP/1.1',
    proto_num: 1001,
    unparsed_uri: uri,
    hostname: 'localhost',
    request_time: Date.now() / 1000,
    headers_in: [['Host', 'localhost']],
    header_only: false,
    expecting_100: false,
    clength_in: null,
    read_chunked: false,
    parsed_uri: [null, null, null, null, 'localhost', 80, uri, null, null],
    range: null,
    document_root: '/tmp',
    is_https: false,
    connection: {
      id: 1,
      client_ip: '127.0.0.1',
      client_port: 40000,
      local_ip: '127.0.0.1',
      local_port: 80,
      local_host: null,
      remote_host: null,
      keepalive: 0,
    },
    keepalives: 0,
    server: SERVER,
    ...over,
  };
}

/** Records the response and serves the body; `calls` answers RequestHost.call by method. */
export class RecordingHost implements RequestHost {
  head: ResponseHead | null = null;
  chunks: Buffer[] = [];
  flushes = 0;
  logs: { level: number; message: string; scope: string }[] = [];
  #body: Buffer;
  #pos = 0;
  constructor(
    body: Buffer = Buffer.alloc(0),
    readonly calls: Record<string, (args: Record<string, unknown>) => Promise<unknown>> = {},
    readonly writeDelayMs = 0,
  ) {
    this.#body = body;
  }
  get text(): string {
    return Buffer.concat(this.chunks).toString('latin1');
  }
  async readBody(max: number): Promise<Buffer | null> {
    if (this.#pos >= this.#body.length) return null;
    const piece = this.#body.subarray(this.#pos, this.#pos + Math.min(max, 16 * 1024));
    this.#pos += piece.length;
    return piece;
  }
  startResponse(head: ResponseHead): void {
    this.head = head;
  }
  async writeBody(chunk: Buffer): Promise<void> {
    this.chunks.push(Buffer.from(chunk));
    if (this.writeDelayMs) await new Promise((r) => setTimeout(r, this.writeDelayMs));
  }
  async flush(): Promise<void> {
    this.flushes++;
  }
  async sendFile(path: string): Promise<number> {
    const { readFile } = await import('node:fs/promises');
    const data = await readFile(path);
    this.chunks.push(data);
    return data.length;
  }
  /** No client socket here: every direct write is refused (the worker falls back to frames). */
  takeSocket(): Promise<null> {
    return Promise.resolve(null);
  }
  returnSocket(): void {
    throw new Error('returnSocket without a lent socket');
  }
  log(level: number, message: string, scope: 'request' | 'server' | 'connection'): void {
    this.logs.push({ level, message, scope });
  }
  async call(method: string, args: Record<string, unknown>): Promise<unknown> {
    const fn = this.calls[method];
    if (!fn) throw new Error(`unknown server call '${method}'`);
    return fn(args);
  }
}

export const HANDLER_CALL = {
  phase: 'PythonHandler',
  hlist: [{ handler: 'x', directory: null, isLocation: false, silent: false }],
  extension: null,
  sync: {},
};

export interface Outcome {
  result: PhaseResult;
  host: RecordingHost;
  req: PythonRequest;
}

/** Opens, runs the content phase, closes. */
export async function run(
  tg: TestGateway,
  uri: string,
  opts: { settings?: PoolSettings; interpreter?: string; body?: Buffer; host?: RecordingHost; deadlineMs?: number } = {},
): Promise<Outcome> {
  const host = opts.host ?? new RecordingHost(opts.body);
  const head = makeHead(uri, opts.body ? { method: 'POST', clength_in: opts.body.length } : {});
  const req = await tg.gateway.open(opts.interpreter ?? 'main_interpreter', opts.settings ?? poolSettings(), head, host, opts.deadlineMs ?? 0);
  try {
    const result = await req.runPhase(HANDLER_CALL);
    return { result, host, req };
  } finally {
    await req.close().catch(() => undefined);
  }
}
