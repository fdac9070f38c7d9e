/**
 * @module workers/worker — a live worker as the pool sees it: its process, the requests and
 * connections bound to it (streams, by id), and the routing of the worker's messages to them.
 * Calls the worker makes for itself (no request) go to the service registry.
 */
import type { FromWorker, ToWorker } from '../ipc/messages.js';
import { wireCall, wireHead } from './wire.js';
import { RefTable } from './ref-table.js';
import { IntTable } from '../int-table.js';
import type { DataKind } from '../ipc/frames.js';
import type { ServiceContext, ServiceRegistry } from '../services/registry.js';
import { WorkerProcess, type ExitInfo, type LogFn, APLOG_ERR } from './worker-process.js';
import type { PoolSettings } from '../config/types.js';
import type { PhaseCall, RequestHead } from './types.js';

export type WorkerState = 'starting' | 'ready' | 'replacing' | 'retiring' | 'gone';

/** A request or connection bound to a worker. */
export interface Stream {
  readonly id: number;
  /** Counts against the worker's pipeline (children do not: they run inside their parent). */
  readonly countsAsLoad: boolean;
  /** Describes the stream for log lines ("GET /x", "connection from 1.2.3.4"). */
  describe(): string;
  onMessage(msg: FromWorker): void;
  onData(kind: DataKind, piece: Buffer): void;
  /** The worker finished the stream (END frame). */
  onEnded(): void;
  /** Handles a `call` message (`id`) for this stream; resolves with the value to send back, or
   *  WorkerProcess.ANSWERED when the answer went with a lent socket. */
  call(method: string, args: Record<string, unknown>, id: number): Promise<unknown>;
  log(level: number, message: string, scope: 'request' | 'server' | 'connection'): void;
  /** The worker died. `begun`: the worker had started this stream (else it may run elsewhere). */
  onWorkerLost(worker: Worker, begun: boolean, cause: LostCause): void;
  /** True while Python code runs for this stream (a phase, a filter, a connection handler). */
  readonly executing: boolean;
}

export interface LostCause {
  /** The process died on its own (crash) or was killed by us for this stream's deadline. */
  kind: 'crash' | 'deadline';
  /** Plain words, e.g. "killed by SIGSEGV". */
  words: string;
  /** The stream whose deadline caused the kill, when kind is 'deadline'. */
  culprit?: Stream;
}

export interface WorkerHooks {
  log: LogFn;
  services: ServiceRegistry;
  onReady(worker: Worker, msg: Extract<FromWorker, { type: 'worker.ready' }>): void;
  onInitialized(worker: Worker): void;
  onExited(worker: Worker, info: ExitInfo): void;
}

export class Worker {
  readonly interpreter: string;
  readonly proc: WorkerProcess;
  /** By id; an IntTable, not a Map (int-table.ts says why). */
  readonly streams = new IntTable<Stream>();
  readonly startedAt = Date.now();
  state: WorkerState = 'starting';
  /** Requests closed on this worker (max-requests recycling). */
  served = 0;
  idleSince = Date.now();
  lastRssKiB = 0;
  /** Set when we kill the worker ourselves, to tell the streams why. */
  killCause: LostCause | null = null;
  readonly maxRequests: number;
  #nextId = 0;
  readonly #hooks: WorkerHooks;
  readonly #workerCleanups: (() => void)[] = [];
  /** Calls the worker makes for itself live as long as the worker: cleanups run at its exit.
   *  One context object for all of them, so services keep one cleanup per worker, not per call. */
  readonly #workerContext: ServiceContext;
  /** The streams, by id, that still hold a pipeline slot (see unload). */
  readonly #loaded = new IntTable<Stream>();
  readonly #refs = new RefTable();

  constructor(interpreter: string, settings: PoolSettings, packageDir: string, hooks: WorkerHooks, maxRequests: number) {
    this.interpreter = interpreter;
    this.#hooks = hooks;
    this.maxRequests = maxRequests;
    this.proc = new WorkerProcess(
      { python: settings.python, packageDir, env: { ...settings.env, MODPY_DIRECT_WRITE: String(settings.directWriteMin), MODPY_SPIN_US: String(settings.spinUs) }, log: hooks.log },
      {
        message: (msg) => this.#onMessage(msg),
        data: (kind, id, piece) => this.streams.get(id)?.onData(kind, piece),
        end: (id) => this.streams.get(id)?.onEnded(),
        exit: (info) => this.#onExit(info),
      },
    );
    this.#workerContext = { interpreter, workerPid: this.pid, onEnd: (fn) => this.#workerCleanups.push(fn) };
  }

  get pid(): number {
    return this.proc.pid;
  }

  /** Bound streams that count against the pipeline. */
  get load(): number {
    return this.#loaded.size;
  }

  /** Sends request.begin; the head's server and connection, and the call's frozen parts, go
   *  once per worker and by reference after that (ref-table.ts). */
  sendBegin(rid: number, head: RequestHead, deadlineMs: number, parent: number | undefined, call?: PhaseCall): void {
    const msg: Extract<ToWorker, { type: 'request.begin' }> = { type: 'request.begin', rid, head: wireHead(head, this.#refOf), deadlineMs };
    if (parent !== undefined) msg.parent = parent;
    if (call) msg.call = wireCall(call, this.#refOf);
    this.proc.send(msg);
  }

  /** Runs the next phase of request `rid` (the first one rides in request.begin). */
  sendPhase(rid: number, call: PhaseCall): void {
    this.proc.send({ type: 'phase.run', rid, call: wireCall(call, this.#refOf) });
  }

  readonly #refOf = (value: object): number => this.#refs.refOf(value, this.#define);

  readonly #define = (ref: number, value: object): void => this.proc.send({ type: 'ref.define', ref, value });

  nextId(): number {
    this.#nextId = (this.#nextId + 1) >>> 0 || 1;
    return this.#nextId;
  }

  attach(stream: Stream): void {
    this.streams.set(stream.id, stream);
    if (stream.countsAsLoad) this.#loaded.set(stream.id, stream);
  }

  /** The stream no longer occupies a pipeline slot (its end is on the way to the worker, which
   *  handles frames in order, so the next request can be queued behind it). True the first time. */
  unload(stream: Stream): boolean {
    if (!this.#loaded.deleteIf(stream.id, stream)) return false;
    if (this.#loaded.size === 0) this.idleSince = Date.now();
    return true;
  }

  detach(stream: Stream): void {
    if (!this.streams.deleteIf(stream.id, stream)) return;
    this.unload(stream);
  }

  /** Kills the worker because `culprit` overran its deadline (it gets 504, others 502). */
  killForDeadline(culprit: Stream, words: string): void {
    if (this.killCause) return;
    this.killCause = { kind: 'deadline', words, culprit };
    this.proc.kill('SIGKILL');
  }

  #onMessage(msg: FromWorker): void {
    switch (msg.type) {
      case 'worker.ready':
        this.#hooks.onReady(this, msg);
        return;
      case 'worker.initialized':
        this.#hooks.onInitialized(this);
        return;
      case 'worker.exited':
        this.state = 'gone';
        this.proc.closeLink();
        return;
      case 'call':
        this.#onCall(msg);
        return;
      case 'log':
        this.#onLog(msg);
        return;
      case 'conn.done':
      case 'conn.error':
        this.streams.get(msg.cid)?.onMessage(msg);
        return;
      default:
        this.streams.get(msg.rid)?.onMessage(msg);
    }
  }

  #onCall(msg: Extract<FromWorker, { type: 'call' }>): void {
    const stream = msg.rid === null ? undefined : this.streams.get(msg.rid);
    const pending =
      stream !== undefined
        ? stream.call(msg.method, msg.args ?? {}, msg.id)
        : this.#hooks.services.call(msg.method, msg.args ?? {}, this.#workerContext);
    if (msg.id === 0) {
      // A notification (e.g. a lock release): no answer is sent; a failure goes to the error log.
      pending.catch((err: unknown) => {
        const text = `${msg.method}: ${err instanceof Error ? err.message : String(err)}`;
        if (stream) stream.log(APLOG_ERR, text, 'request');
        else this.#hooks.log(APLOG_ERR, text, { module: 'python', pid: this.pid });
      });
      return;
    }
    pending.then(
      (value) => {
        if (value !== WorkerProcess.ANSWERED) this.proc.send({ type: 'call.result', id: msg.id, ok: true, value: value ?? null });
      },
      (err: unknown) =>
        this.proc.send({ type: 'call.result', id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
    );
  }

  #onLog(msg: Extract<FromWorker, { type: 'log' }>): void {
    const stream = msg.rid === null ? undefined : this.streams.get(msg.rid);
    if (stream) stream.log(msg.level, msg.message, msg.scope);
    else this.#hooks.log(msg.level, msg.message, { module: 'python', pid: this.pid });
  }

  #onExit(info: ExitInfo): void {
    this.state = 'gone';
    for (const fn of this.#workerCleanups.splice(0)) {
      try {
        fn();
      } catch (err) {
        this.#hooks.log(APLOG_ERR, `cleanup of worker ${this.pid} failed: ${(err as Error).message}`, { pid: this.pid });
      }
    }
    this.#hooks.onExited(this, info);
  }
}
