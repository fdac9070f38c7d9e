/**
 * @module workers/bridge-request — PythonRequest over the worker link: one request pinned to
 * one worker from open() to close().
 *
 * Until the worker shows it has begun the request, every frame sent for it is kept (the replay
 * log) so that, if the worker dies first, the pool can run the request on another worker as if
 * nothing happened. Once begun, a lost worker costs the request a 502 (504 if it was killed for
 * this request's deadline).
 */
import { createError, type ModpyError } from '../errors.js';
import { FRAME_BODY, FRAME_FILTER, type DataKind } from '../ipc/frames.js';
import type { FromWorker } from '../ipc/messages.js';
import type { PhaseCall, PhaseResult, PythonRequest, RequestHead, RequestHost } from './types.js';
import type { LostCause, Stream, Worker } from './worker.js';
import { WorkerProcess } from './worker-process.js';

/** Bodies up to this size that already arrived ride with the request instead of being pulled. */
export const PREREAD_MAX = 64 * 1024;

type Send = (worker: Worker, rid: number) => void;

interface PendingOp {
  kind: 'phase' | 'filter' | 'close';
  resolve(value: unknown): void;
  reject(err: Error): void;
  filterOut?: Buffer[];
}

export interface RequestPolicy {
  interpreter: string;
  /** Absolute deadline (Date.now() ms), 0 for none. */
  deadlineAt: number;
  deadlineMs: number;
  graceMs: number;
  /** The pool: the request is done with its worker (after request.ended, or lost). */
  release(req: BridgeRequest, worker: Worker | null): void;
  /** close() was sent: the request's pipeline slot may take the next request. */
  unload(req: BridgeRequest, worker: Worker): void;
  /** The worker raised RequestTimeout in this request (it lives on; the client gets 504). */
  timedOut(req: BridgeRequest): void;
  /** The worker died before beginning this request: queue it for another worker. */
  requeue(req: BridgeRequest): void;
}

export class BridgeRequest implements PythonRequest, Stream {
  readonly interpreter: string;
  readonly head: RequestHead;
  readonly host: RequestHost;
  readonly parent: BridgeRequest | null;
  readonly #policy: RequestPolicy;
  id = 0;
  worker: Worker | null = null;
  #replay: Send[] | null = [];
  #op: PendingOp | null = null;
  /** Host writes not yet resolved, and who waits for them to reach zero. */
  #pendingWrites = 0;
  #writeWaiters: (() => void)[] = [];
  #closed = false;
  #lost: ModpyError | null = null;
  /** request.begin went out (with the preread body, when there is one): never twice. */
  #beginSent = false;

  constructor(head: RequestHead, host: RequestHost, policy: RequestPolicy, parent: BridgeRequest | null) {
    this.interpreter = policy.interpreter;
    this.head = head;
    this.host = host;
    this.parent = parent;
    this.#policy = policy;
  }

  get countsAsLoad(): boolean {
    return this.parent === null;
  }

  get workerPid(): number {
    return this.worker?.pid ?? 0;
  }

  get executing(): boolean {
    return this.#op !== null && this.#op.kind !== 'close';
  }

  /**
   * The worker raises RequestTimeout at the deadline; a request still running Python code
   * `graceMs` later gets its worker killed (the pool sweeps for these every 100 ms, which is
   * cheaper than a timer per phase).
   */
  overran(now: number): boolean {
    const at = this.#policy.deadlineAt;
    return at > 0 && this.executing && now > at + this.#policy.graceMs;
  }

  get closed(): boolean {
    return this.#closed;
  }

  describe(): string {
    return this.head.the_request;
  }

  /** Puts the request on `worker` (again, after a lost worker): replays what was sent so far. */
  bind(worker: Worker): void {
    this.worker = worker;
    this.id = worker.nextId();
    worker.attach(this);
    for (const send of this.#replay ?? []) send(worker, this.id);
  }

  async runPhase(call: PhaseCall): Promise<PhaseResult> {
    this.#checkUsable('runPhase');
    if (!this.#beginSent && this.#hasSmallBody()) await this.#preread();
    // The first phase rides in request.begin itself: one message, one dispatch in the worker.
    const send: Send = this.#beginSent ? (w, rid) => w.sendPhase(rid, call) : this.#begin(call);
    return (await this.#startOp('phase', send)) as PhaseResult;
  }

  async filterOutput(name: string, chunk: Buffer | null): Promise<Buffer[]> {
    this.#checkUsable('filterOutput');
    if (!this.#beginSent) this.#emit(this.#begin());
    return (await this.#startOp('filter', (w, rid) => {
      if (chunk !== null && chunk.length) w.proc.sendData(FRAME_FILTER, rid, chunk);
      w.proc.send({ type: 'filter.run', rid, name, eos: chunk === null });
    })) as Buffer[];
  }

  async openChild(head: RequestHead, host: RequestHost, deadlineMs: number): Promise<PythonRequest> {
    this.#checkUsable('openChild', true);
    const worker = this.worker!;
    const deadlineAt = deadlineMs > 0 ? Date.now() + deadlineMs : this.#policy.deadlineAt;
    const child = new BridgeRequest(head, host, { ...this.#policy, deadlineAt, deadlineMs }, this);
    child.#replay = null; // a child only ever runs where its parent waits
    child.worker = worker;
    child.id = worker.nextId();
    worker.attach(child);
    // Sent right here: the worker must know the child before the parent's call returns. Its
    // body, if any, is pulled (body.read), not preread.
    child.#emit(child.#begin());
    return child;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#op) throw createError('WORKER_REQUEST_STATE', `close() while ${this.#op.kind} is still running`);
    this.#closed = true;
    if (this.#lost || !this.worker) {
      this.#policy.release(this, this.worker);
      return;
    }
    if (!this.#beginSent) this.#emit(this.#begin());
    const worker = this.worker;
    const ended = this.#startOp('close', (w, rid) => w.proc.sendEndLazy(rid));
    if (this.parent === null) this.#policy.unload(this, worker);
    await ended;
  }

  /** Called by the pool when a queued request is dropped (shutdown) before it ever ran. */
  fail(err: ModpyError): void {
    this.#lost = err;
    this.#settle(err);
  }

  // --- from the worker -------------------------------------------------------------------------
  onMessage(msg: FromWorker): void {
    this.#replay = null; // the worker answered: it has begun this request
    switch (msg.type) {
      case 'response.head':
        this.host.startResponse(msg.head);
        return;
      case 'response.flush':
        this.#track(this.host.flush());
        return;
      case 'response.drain':
        void this.#afterWrites().then(() => this.worker?.proc.send({ type: 'response.drained', rid: this.id }));
        return;
      case 'body.read':
        this.#readBody(msg.max);
        return;
      case 'response.written':
        this.#returnLent(msg.bytes, msg.complete, msg.wire);
        return;
      case 'phase.done':
        this.#finishAfterWrites(msg.result);
        return;
      case 'phase.error':
      case 'filter.error':
        if (msg.reason === 'timeout') this.#policy.timedOut(this);
        this.#settle(
          msg.reason === 'timeout'
            ? createError('WORKER_TIMEOUT', this.interpreter, this.#policy.deadlineMs)
            : createError('WORKER_EXCEPTION', this.interpreter, 'message' in msg && msg.message ? msg.message : 'see the error log'),
        );
        return;
      case 'filter.done':
        this.#finishAfterWrites(this.#op?.filterOut ?? []);
        return;
      default:
        return;
    }
  }

  onEnded(): void {
    this.#returnLent(0, false);
    this.#settle(null, undefined);
    if (this.worker) this.#policy.release(this, this.worker);
  }

  onData(kind: DataKind, piece: Buffer): void {
    this.#replay = null;
    if (kind === FRAME_FILTER) {
      this.#op?.filterOut?.push(piece);
      return;
    }
    this.#track(this.host.writeBody(piece));
  }

  call(method: string, args: Record<string, unknown>, id: number): Promise<unknown> {
    if (method === 'sendfile') {
      return this.#afterWrites().then(() =>
        this.host.sendFile(String(args.path), Number(args.offset ?? 0), Number(args.length ?? -1)),
      );
    }
    if (method === 'take_socket') {
      const op = this.#op;
      return this.#afterWrites().then(() => this.#lendSocket(op, id));
    }
    return this.host.call(method, args);
  }

  log(level: number, message: string, scope: 'request' | 'server' | 'connection'): void {
    this.host.log(level, message, scope);
  }

  onWorkerLost(worker: Worker, begun: boolean, cause: LostCause): void {
    worker.detach(this);
    this.#returnLent(0, false);
    if (!begun && this.parent === null && this.#replay !== null && !this.#closed) {
      this.worker = null;
      this.#policy.requeue(this);
      return;
    }
    const err =
      cause.kind === 'deadline' && cause.culprit === this
        ? createError('WORKER_TIMEOUT', this.interpreter, this.#policy.deadlineMs)
        : createError('WORKER_CRASHED', this.interpreter, worker.pid, cause.words);
    this.#lost = err;
    if (this.#op?.kind === 'close') this.#settle(null, undefined);
    else this.#settle(err);
  }

  // --- internals -------------------------------------------------------------------------------
  #checkUsable(what: string, allowOp = false): void {
    if (this.#closed) throw createError('WORKER_REQUEST_STATE', `${what}() after close()`);
    if (!allowOp && this.#op) throw createError('WORKER_REQUEST_STATE', `${what}() while ${this.#op.kind} is still running`);
    if (this.#lost) throw this.#lost;
  }

  /** The request.begin message (with the first phase when given); sent once. */
  #begin(call?: PhaseCall): Send {
    this.#beginSent = true;
    const { deadlineAt } = this.#policy;
    const parent = this.parent?.id;
    return (w, rid) => w.sendBegin(rid, this.head, deadlineAt ? Math.max(1, deadlineAt - Date.now()) : 0, parent, call);
  }

  #emit(send: Send): void {
    this.#replay?.push(send);
    if (this.worker) send(this.worker, this.id);
  }

  #startOp(kind: PendingOp['kind'], send: Send): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const op: PendingOp = { kind, resolve, reject };
      if (kind === 'filter') op.filterOut = [];
      this.#op = op;
      this.#emit(send);
    });
  }

  #settle(err: Error | null, value?: unknown): void {
    const op = this.#op;
    if (!op) return;
    this.#op = null;
    if (err) op.reject(err);
    else op.resolve(value);
  }

  #finishAfterWrites(value: unknown): void {
    if (this.#pendingWrites === 0) this.#settle(null, value);
    else this.#writeWaiters.push(() => this.#settle(null, value));
  }

  #track(p: Promise<void> | undefined): void {
    if (p === undefined) return;
    this.#pendingWrites++;
    // A rejected write means the client went away: the pipeline sees that on its side.
    p.then(this.#writeDone, this.#writeDone);
  }

  readonly #writeDone = (): void => {
    if (--this.#pendingWrites === 0) for (const fn of this.#writeWaiters.splice(0)) fn();
  };

  #afterWrites(): Promise<void> {
    if (this.#pendingWrites === 0) return Promise.resolve();
    return new Promise((resolve) => this.#writeWaiters.push(resolve));
  }

  /** The worker holding this request's lent client socket, until it says it wrote (or the
   *  request ends without saying so: a deadline between the answer and the write). */
  #lentTo: Worker | null = null;

  /** The worker is done with the lent socket: it said what it wrote (response.written), or the
   *  request ended or its worker died without saying — then what reached the client is unknown
   *  (nothing counted, not complete: the connection is closed). */
  #returnLent(bytes: number, complete: boolean, wire = 0): void {
    const worker = this.#lentTo;
    if (!worker) return;
    this.#lentTo = null;
    worker.proc.socketReturned();
    this.host.returnSocket(bytes, complete, true, wire);
  }

  /** take_socket (call `id`): the client socket goes to the worker over its IPC channel with the
   *  answer ({chunked, head?}) in the same message; resolves WorkerProcess.ANSWERED then. Null:
   *  refused, the answer goes back as usual and the worker writes through frames.
   *  `asking`: the operation (phase) that was running when the worker asked. */
  async #lendSocket(asking: PendingOp | null, id: number): Promise<typeof WorkerProcess.ANSWERED | null> {
    const lent = await this.host.takeSocket();
    if (!lent) return null;
    const worker = this.worker;
    // The take may have been given up meanwhile (the phase ended: a deadline struck while the
    // client drained): a socket sent now would wait in the worker for nobody.
    const wanted = this.#op === asking && !this.#lost && !this.#closed;
    // JSON leaves an undefined head out: the worker sees no head key.
    const answer = { id, value: { chunked: lent.chunked, head: lent.head } };
    if (!worker || !wanted || !(await worker.proc.sendSocket(this.id, lent.handle, answer))) {
      this.host.returnSocket(0, true, false, 0);
      return null;
    }
    this.#lentTo = worker;
    // The worker died while the handle was on its way: onWorkerLost found nothing lent yet, so
    // the socket is given back here (the connection is closed: what reached it is unknown).
    if (this.#lost) this.#returnLent(0, false);
    return WorkerProcess.ANSWERED;
  }

  #readBody(max: number): void {
    this.host.readBody(max).then(
      (chunk) => {
        const w = this.worker;
        if (!w || this.#lost) return;
        if (chunk && chunk.length) w.proc.sendData(FRAME_BODY, this.id, chunk);
        else w.proc.send({ type: 'body.end', rid: this.id });
      },
      () => this.worker?.proc.send({ type: 'body.end', rid: this.id }),
    );
  }

  /** A small body that is (about to be) there rides with the first phase instead of being pulled. */
  #hasSmallBody(): boolean {
    const h = this.head;
    const length = h.clength_in;
    return length !== null && length > 0 && length <= PREREAD_MAX && !h.expecting_100 && !h.read_chunked;
  }

  async #preread(): Promise<void> {
    this.#emit(this.#begin());
    const length = this.head.clength_in!;
    const parts: Buffer[] = [];
    let got = 0;
    let ended = false;
    while (got < length) {
      const chunk = await this.host.readBody(length - got);
      if (!chunk) {
        ended = true;
        break;
      }
      parts.push(chunk);
      got += chunk.length;
    }
    if (got >= length) ended = true;
    // One BODY frame per piece as it came from the client: no concatenation (a copy and a 64 KiB
    // allocation, which drives V8's external-memory GCs), and the pieces still leave in one writev.
    for (const piece of parts) this.#emit((w, rid) => w.proc.sendData(FRAME_BODY, rid, piece));
    if (ended) this.#emit((w, rid) => w.proc.send({ type: 'body.end', rid }));
  }
}
