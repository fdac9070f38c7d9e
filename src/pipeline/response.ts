/**
 * @module pipeline/response — the one response of an HTTP exchange, shared by the request and
 * its internal redirects: sends the head once (Server, Connection), streams the body with
 * backpressure, counts bytes for the access log, and survives a client that went away.
 */
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { LentSocket } from '../workers/types.js';
import { knownStatus, reasonPhrase } from './status-text.js';

const NOTHING = Buffer.alloc(0);

/** The libuv handle behind a plain TCP or Unix-domain socket (TLS and HTTP/2 have none to lend). */
function lendableHandle(socket: Socket): object | null {
  if ((socket as { encrypted?: boolean }).encrypted) return null;
  const handle = (socket as unknown as { _handle?: { fd?: number } | null })._handle;
  return handle && typeof handle.fd === 'number' && handle.fd >= 0 ? handle : null;
}

/**
 * The responses queued on each connection, waiting for it. They share one 'close' listener per
 * socket: one listener each made ten pipelined requests to a slow handler print Node's
 * MaxListenersExceededWarning.
 */
const queuedOnSocket = new WeakMap<Socket, Set<() => void>>();

/** The one 'close' listener of a socket with queued responses (`this` is the socket). */
function wakeQueuedOnClose(this: Socket): void {
  const waiting = queuedOnSocket.get(this);
  queuedOnSocket.delete(this);
  if (waiting) for (const fn of waiting) fn();
}

function watchQueuedClose(socket: Socket, onClose: () => void): void {
  let waiting = queuedOnSocket.get(socket);
  if (!waiting) {
    waiting = new Set();
    queuedOnSocket.set(socket, waiting);
    socket.once('close', wakeQueuedOnClose);
  }
  waiting.add(onClose);
}

/** The response got the connection: Node reports its close from now on. */
function unwatchQueuedClose(socket: Socket, onClose: () => void): void {
  const waiting = queuedOnSocket.get(socket);
  if (!waiting) return;
  waiting.delete(onClose);
  if (waiting.size > 0) return;
  queuedOnSocket.delete(socket);
  socket.off('close', wakeQueuedOnClose);
}

export class ResponseChannel {
  readonly res: ServerResponse;
  headSent = false;
  status = 200;
  bytesSent = 0;
  /** Bytes workers wrote on the connection for this response (direct writes): Node's socket
   *  counters never see them. */
  lentWireBytes = 0;
  /** Headers as sent (for the access log's %{…}o). */
  headers: [string, string][] = [];
  #ended = false;
  #closed = false;
  #drainWaiters: (() => void)[] = [];
  /** Who waits for the close (made on first use: most responses never need it). */
  #closeWaiters: (() => void)[] | null = null;
  #corked = false;
  #drainListening = false;
  readonly #headerOnly: boolean;

  constructor(res: ServerResponse, private readonly banner: string, private readonly keepAlive: boolean) {
    this.res = res;
    this.#headerOnly = res.req?.method === 'HEAD';
    res.once('close', this.#markClosed);
    if (!res.socket) this.#watchQueuedConnection();
  }

  readonly #markClosed = (): void => {
    if (this.#closed) return;
    this.#closed = true;
    this.#wakeDrainWaiters();
    const waiters = this.#closeWaiters;
    this.#closeWaiters = null;
    if (waiters) for (const fn of waiters) fn();
  };

  /**
   * A response to a pipelined request waits for the ones before it to get the connection. When
   * the connection closes first (the client half-closed it: Node then aborts the queued requests),
   * Node never emits 'close' on such a response: without this the request would wait for
   * 'finish' forever, and a graceful stop with it.
   */
  #watchQueuedConnection(): void {
    const socket = this.res.req?.socket;
    if (!socket) return;
    watchQueuedClose(socket, this.#markClosed);
    this.res.once('socket', () => unwatchQueuedClose(socket, this.#markClosed));
  }

  /** 'drain' is listened to from the first write the socket could not take (most responses
   *  never see one), not for every response. */
  #listenDrain(): void {
    if (this.#drainListening) return;
    this.#drainListening = true;
    this.res.on('drain', () => this.#wakeDrainWaiters());
  }

  /** True once the client connection closed (aborted or finished). */
  get closed(): boolean {
    return this.#closed;
  }

  get ended(): boolean {
    return this.#ended;
  }

  #wakeDrainWaiters(): void {
    const w = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const f of w) f();
  }

  /** Sends the status line and headers (ignored when already sent). */
  sendHead(status: number, statusLine: string | null, headers: [string, string][]): void {
    if (this.headSent || this.#closed) return;
    this.headSent = true;
    // req.status_line "418 I'm a teapot" whose code matches the status is sent as given;
    // otherwise a status Apache has no reason phrase for (e.g. 299) goes out as 500.
    const m = statusLine ? /^\s*(\d{3})\s+(.*)$/.exec(statusLine) : null;
    const ownLine = m !== null && Number(m[1]) === status;
    if (!ownLine && status >= 200) status = knownStatus(status);
    this.status = status;
    const reason = ownLine ? (m[2] as string) : reasonPhrase(status);
    const flat: string[] = [];
    let hasServer = false;
    let hasConnection = false;
    for (const [k, v] of headers) {
      // Node rejects header values with CR/LF; Apache would also refuse to emit them.
      if (/[\r\n]/.test(v) || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(k)) continue;
      if (!hasServer && k.length === 6 && k.toLowerCase() === 'server') hasServer = true;
      if (k.length === 10 && k.toLowerCase() === 'connection') hasConnection = true;
      flat.push(k, v);
    }
    if (!hasServer) flat.push('Server', this.banner);
    if (!this.keepAlive && !hasConnection) flat.push('Connection', 'close');
    this.headers = headers;
    this.res.writeHead(status, reason, flat);
  }

  /** Hands the response to a streaming sender (`send`) that calls writeHead itself: our
   *  headers go in through setHeader first. */
  prepareForStream(status: number): void {
    this.headSent = true;
    this.status = status;
    this.res.statusCode = status;
    this.res.setHeader('Server', this.banner);
    if (!this.keepAlive) this.res.setHeader('Connection', 'close');
  }

  /** The streaming sender failed before writing anything: the error page can still be sent. */
  abandonStream(): void {
    if (this.res.headersSent) return;
    for (const name of this.res.getHeaderNames()) this.res.removeHeader(name);
    this.headSent = false;
    this.status = 200;
  }

  /** Records the status of a response a streaming sender produced (for the access log). */
  noteStreamed(): void {
    this.status = this.res.statusCode;
    this.#ended = true;
    this.headers = Object.entries(this.res.getHeaders()).flatMap(([k, v]) =>
      Array.isArray(v) ? v.map((x) => [k, String(x)] as [string, string]) : [[k, String(v)] as [string, string]],
    );
  }

  /**
   * Lends the client socket to a worker that writes a large body itself (docs/protocol.md
   * "Direct writes"). Before it is handed over, every byte written before on the connection is
   * in the kernel; nothing here writes to the socket until giveBack(). The head, when Node has
   * not sent it yet, goes with the lent socket (`head`): the worker writes it with the body, in
   * one segment, instead of Node writing it alone. Null when bytes written past Node would be
   * wrong: HEAD, 204/304, TLS, a connection already closed.
   */
  async lend(): Promise<LentSocket | null> {
    const res = this.res;
    if (this.#headerOnly || this.#ended || this.#closed || this.status === 204 || this.status === 304) return null;
    this.#uncork();
    // A response to a pipelined request gets the connection when the one before it finishes.
    const socket = res.socket ?? (await this.#socketAssigned());
    if (!socket || this.#closed) return null;
    const handle = lendableHandle(socket);
    if (!handle) return null;
    if (!(await this.#drained(socket))) return null;
    // Taken only now, with nothing left to wait for: an error page sent meanwhile keeps its head.
    const head = this.#takeUnsentHead();
    if (head === null) {
      res.flushHeaders();
      if (!(await this.#drained(socket))) return null;
    }
    const chunked = (res as unknown as { chunkedEncoding: boolean }).chunkedEncoding === true;
    return head === null ? { handle, chunked } : { handle, chunked, head };
  }

  /** The worker wrote `bytes` body bytes to the lent socket. `reached` false: the socket never
   *  got to the worker, nothing was written (a head lent with it is Node's to send again). A
   *  write that broke off leaves the response unframed: the connection cannot carry another. */
  giveBack(bytes: number, complete: boolean, reached: boolean, wire: number): void {
    if (!reached) this.#restoreHead();
    this.#lentHead = false;
    this.bytesSent += bytes;
    this.lentWireBytes += wire;
    if (!complete) this.res.socket?.destroy();
  }

  #lentHead = false;

  /** Waits until every byte written to `socket` before is in the kernel (an empty write
   *  completes after everything queued before it); false when the response closed or ended
   *  meanwhile (then it is not to be lent). */
  async #drained(socket: Socket): Promise<boolean> {
    if (socket.writableLength > 0 || (this.res as unknown as { outputData: unknown[] }).outputData?.length) {
      await new Promise<void>((resolve) => socket.write(NOTHING, () => resolve()));
    }
    return !this.#closed && !this.#ended;
  }

  /** The head Node has built (writeHead) but not sent, taken from Node (which then never sends
   *  it); null when Node sent it already or its internals are not the ones known here. */
  #takeUnsentHead(): string | null {
    const r = this.res as unknown as { _header?: unknown; _headerSent?: unknown };
    if (typeof r._header !== 'string' || r._headerSent !== false) return null;
    r._headerSent = true;
    this.#lentHead = true;
    return r._header;
  }

  #restoreHead(): void {
    if (!this.#lentHead) return;
    this.#lentHead = false;
    (this.res as unknown as { _headerSent: boolean })._headerSent = false;
  }

  /** Resolves with the socket once Node attaches it to this response (after it has written the
   *  output it held for it), or null when the response closes first. */
  #socketAssigned(): Promise<Socket | null> {
    return new Promise((resolve) => {
      let done = false;
      const onSocket = (socket: Socket): void => {
        done = true;
        // Node flushes the response's held output right after the 'socket' event.
        setImmediate(() => resolve(socket));
      };
      this.res.once('socket', onSocket);
      (this.#closeWaiters ??= []).push(() => {
        if (done) return;
        this.res.off('socket', onSocket);
        resolve(null);
      });
    });
  }

  /** Writes body bytes. Undefined when the socket took them; else a promise that resolves when
   *  it can take more (backpressure). */
  write(chunk: Buffer | string): Promise<void> | undefined {
    if (this.#ended || this.#closed || chunk.length === 0) return undefined;
    // HEAD: Node drops the body bytes, so they are not counted either (%b is "-").
    if (!this.#headerOnly) this.bytesSent += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    this.#cork();
    if (this.res.write(chunk)) return undefined;
    this.#listenDrain();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  /** Ends the response (sending `chunk` last); resolves when handed to the socket. */
  end(chunk?: Buffer | string): Promise<void> {
    if (this.#ended) return Promise.resolve();
    this.#ended = true;
    if (!this.headSent) this.sendHead(this.status, null, []);
    if (chunk && chunk.length && !this.#headerOnly) this.bytesSent += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      // 'finish' never comes when the client hangs up first: 'close' settles it then.
      let settled = false;
      const settle = () => {
        if (settled) return;
        settled = true;
        resolve();
      };
      (this.#closeWaiters ??= []).push(settle);
      this.res.end(chunk ?? undefined, settle);
      this.#uncork();
    });
  }

  /**
   * Writes made in one turn of the event loop leave in one writev: a handler's head, body
   * pieces and the end of a chunked response usually arrive together from the worker, and one
   * syscall per piece was the front end's largest cost.
   */
  #cork(): void {
    if (this.#corked) return;
    const socket = this.res.socket;
    if (!socket) return;
    this.#corked = true;
    socket.cork();
    setImmediate(this.#uncorkLater);
  }

  readonly #uncorkLater = (): void => this.#uncork();

  #uncork(): void {
    if (!this.#corked) return;
    this.#corked = false;
    this.res.socket?.uncork();
  }
}
