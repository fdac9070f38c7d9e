/**
 * @module workers/pool — the workers of one interpreter name.
 *
 * Dispatch: a request goes to the least-loaded ready worker that has fewer than `pipeline`
 * requests bound (so a worker always has the next request queued in its socket while it runs the
 * current one); otherwise it waits in the pool's queue (bounded by `queueLimit`, then 503 with
 * Retry-After). The pool grows up to maxProcesses while every worker is busy and shrinks back to
 * minProcesses after idleTimeout. Supervision (supervisor.ts): crashed workers are replaced with
 * backoff, requests a dead worker never began run elsewhere, workers over maxRequests or the
 * memory limit are replaced rolling (the replacement is ready before the old one retires).
 */
import type { HandlerEntry, PoolSettings } from '../config/types.js';
import { createError, type ModpyError } from '../errors.js';
import { PROTOCOL_VERSION } from '../ipc/messages.js';
import type { ServiceRegistry } from '../services/registry.js';
import { BridgeConnection } from './bridge-connection.js';
import { BridgeRequest } from './bridge-request.js';
import { overloadError } from './overload.js';
import { Backoff, describeExit, jitteredLimit, overMemory } from './supervisor.js';
import type { ConnectionHead, ConnectionHost, PoolStats, PythonRequest, RequestHead, RequestHost, ServerInfo, WorkerInit } from './types.js';
import { Worker, type LostCause } from './worker.js';
import { type ExitInfo, type LogFn } from './worker-process.js';
import { PoolLog } from './pool-log.js';

export interface PoolContext {
  packageDir: string;
  log: LogFn;
  services: ServiceRegistry;
  init: WorkerInit;
  /** How often RSS and idle time are checked. */
  housekeepingMs?: number;
}

type Bindable = BridgeRequest | BridgeConnection;
type RecycleReason = 'max-requests' | 'memory' | 'reload';

interface Tracked {
  initialized: boolean;
  expectedExit: boolean;
  /** The worker this one replaces (rolling restart), retired once this one is ready. */
  replaces: Worker | null;
  /** Resolved when the process is gone. */
  gone: Promise<void>;
  markGone(): void;
  startTimer?: NodeJS.Timeout;
  exitTimer?: NodeJS.Timeout;
}

const EXIT_GRACE_MS = 5000;
/** How often requests are checked for running past deadline + grace. */
const DEADLINE_SWEEP_MS = 100;

export class Pool {
  readonly interpreter: string;
  settings: PoolSettings;
  readonly #ctx: PoolContext;
  /** What worker.init sends: the context's, until a reload brings a new configuration's. */
  #init: WorkerInit;
  readonly #workers = new Map<Worker, Tracked>();
  readonly #queue: Bindable[] = [];
  readonly #openers = new Map<Bindable, { resolve(req: PythonRequest): void; reject(err: Error): void }>();
  readonly #backoff = new Backoff();
  readonly #restarts: Record<string, number> = {};
  readonly #idleWaiters: (() => void)[] = [];
  readonly #housekeeping: NodeJS.Timeout;
  readonly #deadlineSweep: NodeJS.Timeout;
  #closing = false;
  #announced = false;
  #noStartBefore = 0;
  #lastStartFailure = '';
  #respawnTimer: NodeJS.Timeout | null = null;
  readonly #log: PoolLog;
  /** Waiting for the pool's first worker to be ready, or for a failed start. */
  #startWaiters: (() => void)[] = [];

  constructor(interpreter: string, settings: PoolSettings, ctx: PoolContext) {
    this.interpreter = interpreter;
    this.settings = settings;
    this.#ctx = ctx;
    this.#init = ctx.init;
    this.#log = new PoolLog(ctx.log, interpreter);
    this.#housekeeping = setInterval(() => this.#houseKeep(), ctx.housekeepingMs ?? 1000);
    this.#housekeeping.unref();
    this.#deadlineSweep = setInterval(() => this.#killOverrunning(), DEADLINE_SWEEP_MS);
    this.#deadlineSweep.unref();
    for (let i = 0; i < Math.max(1, settings.minProcesses); i++) this.#spawn(null);
  }

  // --- the pipeline's entry points -------------------------------------------------------------
  open(head: RequestHead, host: RequestHost, deadlineMs: number): Promise<PythonRequest> {
    if (this.#closing) return Promise.reject(createError('WORKER_SHUTTING_DOWN', this.interpreter));
    const s = this.settings;
    const ms = deadlineMs > 0 ? deadlineMs : s.requestTimeoutMs;
    const req = new BridgeRequest(
      head,
      host,
      {
        interpreter: this.interpreter,
        deadlineAt: ms > 0 ? Date.now() + ms : 0,
        deadlineMs: ms,
        graceMs: s.graceMs,
        release: (r, w) => this.#release(r, w),
        unload: (r, w) => this.#unload(r, w),
        timedOut: (r) => this.#log.line('DEADLINE_HIT', { request: r.describe(), ms, pid: r.workerPid }, r.workerPid),
        requeue: (r) => this.#requeue(r),
      },
      null,
    );
    const worker = this.#pick();
    if (worker) {
      req.bind(worker);
      this.#growIfBusy();
      return Promise.resolve(req);
    }
    return new Promise<PythonRequest>((resolve, reject) => {
      const refused = this.#admit(req);
      if (refused) return reject(refused);
      this.#openers.set(req, { resolve, reject });
    });
  }

  serveConnection(handler: HandlerEntry, conn: ConnectionHead & { keepalives: number }, server: ServerInfo, host: ConnectionHost): Promise<number> {
    if (this.#closing) return Promise.reject(createError('WORKER_SHUTTING_DOWN', this.interpreter));
    const c = new BridgeConnection(handler, conn, server, host, {
      interpreter: this.interpreter,
      services: this.#ctx.services,
      release: (x, w) => this.#release(x, w),
    });
    const worker = this.#pick();
    if (worker) {
      c.bind(worker);
      this.#growIfBusy();
    } else {
      const refused = this.#admit(c);
      if (refused) return Promise.reject(refused);
    }
    return c.done;
  }

  /** Rolling restart of every worker; resolves once all the old ones have exited. `init`, when
   *  given, replaces what the replacements and later workers receive in worker.init. */
  async reload(init?: WorkerInit): Promise<void> {
    if (init) this.#init = init;
    const old = [...this.#workers.keys()].filter((w) => w.state === 'ready' || w.state === 'starting');
    for (const w of old) {
      if (w.state === 'ready') this.#recycle(w, 'reload');
      else this.#retire(w);
    }
    // A worker retired while still starting has no replacement of its own: requests already
    // queued for it would wait for the next request to start one.
    this.#growIfBusy();
    await Promise.all(old.map((w) => this.#workers.get(w)?.gone));
  }

  /** Stops taking requests, lets the running and queued ones finish, then exits every worker. */
  async shutdown(timeoutMs: number): Promise<void> {
    this.#closing = true;
    const deadline = Date.now() + timeoutMs;
    if (this.#respawnTimer) clearTimeout(this.#respawnTimer);
    // 1. Drain: in-flight and queued requests finish on the workers they have.
    await this.#whenIdle(timeoutMs);
    for (const item of this.#queue.splice(0)) this.#fail(item, createError('WORKER_SHUTTING_DOWN', this.interpreter));
    // 2. Exit: worker_exit runs the server cleanups in each worker.
    const all = [...this.#workers.keys()];
    for (const w of all) this.#sendExit(w, Math.max(100, deadline - Date.now()));
    await Promise.all(all.map((w) => this.#workers.get(w)?.gone));
    clearInterval(this.#housekeeping);
    clearInterval(this.#deadlineSweep);
  }

  stats(): PoolStats {
    return {
      interpreter: this.interpreter,
      workers: [...this.#workers.keys()].map((w) => ({
        pid: w.pid,
        state: w.state,
        requests: w.served,
        inflight: w.load,
        rssKiB: w.lastRssKiB,
      })),
      queued: this.#queue.length,
      restarts: { ...this.#restarts },
    };
  }

  // --- dispatch --------------------------------------------------------------------------------
  #pick(): Worker | null {
    let best: Worker | null = null;
    const limit = Math.max(1, this.settings.pipeline);
    for (const w of this.#workers.keys()) {
      if (w.state !== 'ready' && w.state !== 'replacing') continue;
      if (w.load >= limit) continue;
      if (!best || w.load < best.load) best = w;
    }
    return best;
  }

  /** Queues `item`, or says why it cannot wait (a coded 503). */
  #admit(item: Bindable): ModpyError | null {
    const s = this.settings;
    if (this.#queue.length >= s.queueLimit) {
      this.#log.line('QUEUE_FULL', { queued: this.#queue.length, limit: s.queueLimit });
      return overloadError('WORKER_QUEUE_FULL', 1, this.interpreter, this.#queue.length);
    }
    if (this.#liveCount() === 0 && Date.now() < this.#noStartBefore) {
      return overloadError('WORKER_START_FAILED', (this.#noStartBefore - Date.now()) / 1000, this.interpreter, this.#lastStartFailure);
    }
    this.#queue.push(item);
    this.#growIfBusy();
    return null;
  }

  /** A queued item that will never run: its open() rejects, or its pending call does. */
  #fail(item: Bindable, err: ModpyError): void {
    const opener = this.#openers.get(item);
    this.#openers.delete(item);
    if (opener) opener.reject(err);
    else item.fail(err);
  }

  #requeue(req: BridgeRequest): void {
    this.#queue.unshift(req);
    this.#drain();
    this.#growIfBusy();
  }

  #drain(): void {
    while (this.#queue.length) {
      const w = this.#pick();
      if (!w) return this.#growIfBusy();
      const item = this.#queue.shift()!;
      item.bind(w);
      const opener = this.#openers.get(item);
      if (opener) {
        this.#openers.delete(item);
        opener.resolve(item as BridgeRequest);
      }
    }
  }

  /** Frees the item's pipeline slot (at close(), before the worker confirms the end). */
  #unload(item: Bindable, worker: Worker): void {
    if (!worker.unload(item)) return;
    if (item instanceof BridgeRequest) {
      worker.served++;
      if (worker.served >= worker.maxRequests && worker.state === 'ready') this.#recycle(worker, 'max-requests');
    }
    this.#drain();
  }

  /** The item is finished with its worker. */
  #release(item: Bindable, worker: Worker | null): void {
    if (worker && worker.streams.get(item.id) === item) {
      this.#unload(item, worker);
      worker.detach(item);
      if (worker.state === 'retiring' && worker.streams.size === 0) this.#sendExit(worker, EXIT_GRACE_MS);
    }
    this.#drain();
    if (this.#isIdle()) for (const fn of this.#idleWaiters.splice(0)) fn();
  }

  // --- workers ---------------------------------------------------------------------------------
  #liveCount(): number {
    let n = 0;
    for (const w of this.#workers.keys()) if (w.state === 'starting' || w.state === 'ready' || w.state === 'replacing') n++;
    return n;
  }

  /** Starts one more worker when all are busy, within maxProcesses, one start at a time. */
  #growIfBusy(): void {
    if (this.#closing || Date.now() < this.#noStartBefore) return;
    let starting = false;
    let idle = false;
    for (const w of this.#workers.keys()) {
      if (w.state === 'starting') starting = true;
      if ((w.state === 'ready' || w.state === 'replacing') && w.load === 0) idle = true;
    }
    if (this.#liveCount() === 0 && !starting) return void this.#spawn(null);
    if (starting || idle || this.#liveCount() >= this.settings.maxProcesses) return;
    this.#spawn(null);
  }

  #spawn(replaces: Worker | null): Worker {
    const s = this.settings;
    const worker = new Worker(
      this.interpreter,
      s,
      this.#ctx.packageDir,
      {
        log: this.#ctx.log,
        services: this.#ctx.services,
        onReady: (w, msg) => this.#onReady(w, msg),
        onInitialized: (w) => this.#onInitialized(w),
        onExited: (w, info) => this.#onExited(w, info),
      },
      jitteredLimit(s.maxRequests, s.maxRequestsJitter),
    );
    let markGone = (): void => undefined;
    const gone = new Promise<void>((resolve) => (markGone = resolve));
    const t: Tracked = { initialized: false, expectedExit: false, replaces, gone, markGone };
    this.#workers.set(worker, t);
    if (s.startupTimeoutMs > 0) {
      t.startTimer = setTimeout(() => {
        if (!t.initialized) {
          worker.killCause = { kind: 'crash', words: `did not become ready within ${s.startupTimeoutMs} ms` };
          worker.proc.kill('SIGKILL');
        }
      }, s.startupTimeoutMs);
    }
    worker.proc.send({ type: 'worker.init', init: { ...this.#init, interpreter: this.interpreter } });
    return worker;
  }

  #onReady(worker: Worker, msg: { pid: number; executable: string; resolved: string; version: string; protocol: number }): void {
    if (msg.protocol !== PROTOCOL_VERSION) {
      worker.killCause = {
        kind: 'crash',
        words: `speaks protocol ${msg.protocol}, this server ${PROTOCOL_VERSION} (another mod_python package on PYTHONPATH?)`,
      };
      worker.proc.kill('SIGKILL');
      return;
    }
    const version = msg.version.split('\n')[0] ?? msg.version;
    if (!this.#announced) {
      this.#announced = true;
      const executable = msg.resolved && msg.resolved !== msg.executable ? `${msg.executable} (${msg.resolved})` : msg.executable;
      this.#log.line('PYTHON_EXECUTABLE', { pythonVersion: version, executable }, msg.pid);
    }
    this.#log.line('WORKER_STARTED', { pid: msg.pid, ms: Date.now() - worker.startedAt }, msg.pid);
  }

  /** Resolves once a worker of this pool is ready (PythonImport has run), or a start failed. */
  started(): Promise<void> {
    for (const [w, t] of this.#workers) if (t.initialized && w.state !== 'gone') return Promise.resolve();
    return new Promise((resolve) => this.#startWaiters.push(resolve));
  }

  #onInitialized(worker: Worker): void {
    const t = this.#workers.get(worker);
    if (!t) return;
    t.initialized = true;
    for (const fn of this.#startWaiters.splice(0)) fn();
    if (t.startTimer) clearTimeout(t.startTimer);
    if (worker.state === 'starting') worker.state = 'ready';
    this.#lastStartFailure = '';
    if (t.replaces) {
      this.#retire(t.replaces);
      t.replaces = null;
    }
    this.#drain();
  }

  /** Rolling replacement: the old worker keeps serving until its replacement is ready. */
  #recycle(worker: Worker, reason: RecycleReason): void {
    if (worker.state !== 'ready' || this.#closing) return;
    worker.state = 'replacing';
    this.#restarts[reason] = (this.#restarts[reason] ?? 0) + 1;
    if (reason === 'max-requests') {
      this.#log.line('WORKER_RECYCLED_REQUESTS', { pid: worker.pid, requests: worker.served }, worker.pid);
    } else if (reason === 'memory') {
      const rssMiB = Math.round(worker.lastRssKiB / 1024);
      this.#log.line('WORKER_RECYCLED_MEMORY', { pid: worker.pid, rssMiB, limitMiB: this.settings.maxMemoryMiB }, worker.pid);
    }
    this.#spawn(worker);
  }

  #retire(worker: Worker): void {
    if (worker.state === 'retiring' || worker.state === 'gone') return;
    worker.state = 'retiring';
    if (worker.streams.size === 0) this.#sendExit(worker, EXIT_GRACE_MS);
  }

  #sendExit(worker: Worker, graceMs: number): void {
    const t = this.#workers.get(worker);
    if (!t || t.expectedExit) return;
    t.expectedExit = true;
    worker.state = 'retiring';
    if (worker.proc.exited) return;
    worker.proc.send({ type: 'worker.exit' });
    t.exitTimer = setTimeout(() => worker.proc.kill('SIGKILL'), graceMs);
  }

  #onExited(worker: Worker, info: ExitInfo): void {
    const t = this.#workers.get(worker);
    if (!t) return;
    this.#workers.delete(worker);
    if (t.startTimer) clearTimeout(t.startTimer);
    if (t.exitTimer) clearTimeout(t.exitTimer);
    const words = worker.killCause?.words ?? describeExit(info, worker.lastRssKiB, this.settings.maxMemoryMiB);
    const cause: LostCause = worker.killCause ?? { kind: 'crash', words };
    const lastBegun = worker.proc.lastBegunAtExit;
    const streams = [...worker.streams.values()];
    const running = streams.filter((s) => s.executing).map((s) => `"${s.describe()}"`);
    let failed = 0;
    let moved = 0;
    for (const s of streams) {
      const begun = !(s instanceof BridgeRequest) || s.parent !== null || s.id <= lastBegun;
      if (begun) failed++;
      else moved++;
      s.onWorkerLost(worker, begun, cause);
    }
    if (t.replaces && t.replaces.state === 'replacing') t.replaces.state = 'ready';
    t.markGone();
    if (t.expectedExit && !worker.killCause) {
      this.#log.line('WORKER_EXITED', { pid: worker.pid, code: info.code ?? info.signal ?? 'unknown' }, worker.pid);
    } else {
      this.#log.death({
        pid: worker.pid,
        info,
        initialized: t.initialized,
        deadlineKill: cause.kind === 'deadline',
        graceMs: this.settings.graceMs,
        startFailure: words,
        likelyOom: overMemory(worker.lastRssKiB, Math.floor(this.settings.maxMemoryMiB * 0.9)),
        rssMiB: Math.round(worker.lastRssKiB / 1024),
        running,
        failed,
        moved,
      });
      this.#onUnexpectedExit(worker, t, words, cause);
    }
    this.#drain();
    if (this.#isIdle()) for (const fn of this.#idleWaiters.splice(0)) fn();
  }

  #onUnexpectedExit(worker: Worker, t: Tracked, words: string, cause: LostCause): void {
    const reason = cause.kind === 'deadline' ? 'deadline' : t.initialized ? 'crash' : 'start-failure';
    this.#restarts[reason] = (this.#restarts[reason] ?? 0) + 1;
    if (this.#closing) return;
    const delay = this.#backoff.onDeath(Date.now() - worker.startedAt, !t.initialized);
    if (!t.initialized) {
      for (const fn of this.#startWaiters.splice(0)) fn();
      this.#lastStartFailure = `the last worker ${words}`;
      this.#noStartBefore = Date.now() + delay;
      if (this.#liveCount() === 0) {
        // Nothing can serve the waiting requests soon: tell their clients now, with a retry hint.
        for (const item of this.#queue.splice(0)) {
          this.#fail(item, overloadError('WORKER_START_FAILED', delay / 1000, this.interpreter, this.#lastStartFailure));
        }
      }
      if (delay > 0) {
        const seconds = Math.round((Date.now() - this.#backoff.firstFailureAt) / 1000);
        this.#log.line('WORKER_RESTART_BACKOFF', { failures: this.#backoff.failures, seconds, delayMs: delay });
      }
    }
    this.#scheduleRespawn(delay);
  }

  #scheduleRespawn(delay: number): void {
    if (this.#respawnTimer) return;
    const need = (): boolean => {
      const live = this.#liveCount();
      return live < Math.max(1, this.settings.minProcesses) || (this.#queue.length > 0 && live < this.settings.maxProcesses);
    };
    if (!need()) return;
    this.#respawnTimer = setTimeout(() => {
      this.#respawnTimer = null;
      if (!this.#closing && need()) this.#spawn(null);
    }, delay);
  }

  #killOverrunning(): void {
    const now = Date.now();
    for (const w of this.#workers.keys()) {
      for (const s of w.streams.values()) {
        if (s instanceof BridgeRequest && s.overran(now)) {
          w.killForDeadline(s, `the request "${s.describe()}" ran past its deadline and grace period`);
          break;
        }
      }
    }
  }

  #houseKeep(): void {
    const s = this.settings;
    const now = Date.now();
    let live = this.#liveCount();
    for (const w of this.#workers.keys()) {
      if (w.state === 'gone') continue;
      w.lastRssKiB = w.proc.rssKiB() ?? w.lastRssKiB;
      if (w.state === 'ready' && overMemory(w.lastRssKiB, s.maxMemoryMiB)) this.#recycle(w, 'memory');
      if (
        w.state === 'ready' &&
        s.idleTimeoutMs > 0 &&
        live > Math.max(1, s.minProcesses) &&
        w.streams.size === 0 &&
        now - w.idleSince > s.idleTimeoutMs
      ) {
        this.#log.line('WORKER_IDLE_STOPPED', { pid: w.pid, seconds: Math.round((now - w.idleSince) / 1000) }, w.pid);
        this.#retire(w);
        live--;
      }
      if (w.state === 'ready' && now - w.startedAt > this.#backoff.healthyMs) this.#backoff.onHealthy();
    }
  }

  #isIdle(): boolean {
    if (this.#queue.length) return false;
    for (const w of this.#workers.keys()) if (w.streams.size) return false;
    return true;
  }

  #whenIdle(timeoutMs: number): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.#idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
