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
 *
 * The pieces: pool-queue.ts (the waiting requests), pool-sizing.ts (which worker, and when one
 * more), pool-workers.ts (the workers' lifecycle), deadline-sweep.ts, worker-loss.ts (the
 * streams of a dead worker), supervisor.ts (backoff and limits), pool-log.ts.
 */
import type { HandlerEntry, PoolSettings } from '../config/types.js';
import { createError, type ModpyError } from '../errors.js';
import { PROTOCOL_VERSION } from '../ipc/messages.js';
import type { ServiceRegistry } from '../services/registry.js';
import { BridgeConnection } from './bridge-connection.js';
import { BridgeRequest } from './bridge-request.js';
import { DEADLINE_SWEEP_MS, killOverrunning } from './deadline-sweep.js';
import { overloadError } from './overload.js';
import { PoolLog } from './pool-log.js';
import { PoolQueue, type Bindable, type Opener } from './pool-queue.js';
import { liveCount, needsSuccessor, pickWorker, shouldGrow } from './pool-sizing.js';
import { EXIT_GRACE_MS, PoolWorkers, type GoneWorker } from './pool-workers.js';
import { Backoff, describeExit, overMemory } from './supervisor.js';
import type { ConnectionHead, ConnectionHost, PoolStats, PythonRequest, RequestHead, RequestHost, ServerInfo, WorkerInit } from './types.js';
import type { LostCause, Worker } from './worker.js';
import { loseStreams } from './worker-loss.js';
import type { ExitInfo, LogFn } from './worker-process.js';

export interface PoolContext {
  packageDir: string;
  log: LogFn;
  services: ServiceRegistry;
  init: WorkerInit;
  /** How often RSS and idle time are checked. */
  housekeepingMs?: number;
}

type RecycleReason = 'max-requests' | 'memory' | 'reload';

export class Pool {
  readonly interpreter: string;
  settings: PoolSettings;
  readonly #ctx: PoolContext;
  /** What worker.init sends: the context's, until a reload brings a new configuration's. */
  #init: WorkerInit;
  readonly #workers: PoolWorkers;
  readonly #queue = new PoolQueue();
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
    this.#workers = new PoolWorkers(interpreter, ctx.packageDir, {
      log: ctx.log,
      services: ctx.services,
      onReady: (w, msg) => this.#onReady(w, msg),
      onInitialized: (w) => this.#onInitialized(w),
      onExited: (w, info) => this.#onExited(w, info),
    });
    this.#housekeeping = setInterval(() => this.#houseKeep(), ctx.housekeepingMs ?? 1000);
    this.#housekeeping.unref();
    this.#deadlineSweep = setInterval(() => killOverrunning(this.#workers, Date.now()), DEADLINE_SWEEP_MS);
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
      const refused = this.#admit(req, { resolve, reject });
      if (refused) reject(refused);
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
    const old = [...this.#workers].filter((w) => w.state === 'ready' || w.state === 'starting');
    for (const w of old) {
      if (w.state === 'ready') this.#recycle(w, 'reload');
      else this.#workers.retire(w);
    }
    // A worker retired while still starting has no replacement of its own: requests already
    // queued for it would wait for the next request to start one.
    this.#growIfBusy();
    await this.#workers.whenGone(old);
  }

  /** Stops taking requests, lets the running and queued ones finish, then exits every worker. */
  async shutdown(timeoutMs: number): Promise<void> {
    this.#closing = true;
    const deadline = Date.now() + timeoutMs;
    if (this.#respawnTimer) clearTimeout(this.#respawnTimer);
    // 1. Drain: in-flight and queued requests finish on the workers they have.
    await this.#whenIdle(timeoutMs);
    this.#queue.failAll(() => createError('WORKER_SHUTTING_DOWN', this.interpreter));
    // 2. Exit: worker_exit runs the server cleanups in each worker.
    const all = [...this.#workers];
    for (const w of all) this.#workers.sendExit(w, Math.max(100, deadline - Date.now()));
    await this.#workers.whenGone(all);
    clearInterval(this.#housekeeping);
    clearInterval(this.#deadlineSweep);
  }

  stats(): PoolStats {
    return {
      interpreter: this.interpreter,
      workers: [...this.#workers].map((w) => ({
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

  /** Resolves once a worker of this pool is ready (PythonImport has run), or a start failed. */
  started(): Promise<void> {
    if (this.#workers.hasInitialized()) return Promise.resolve();
    return new Promise((resolve) => this.#startWaiters.push(resolve));
  }

  // --- dispatch --------------------------------------------------------------------------------
  #pick(): Worker | null {
    return pickWorker(this.#workers, this.settings.pipeline);
  }

  /** Queues `item`, or says why it cannot wait (a coded 503). */
  #admit(item: Bindable, opener?: Opener): ModpyError | null {
    const s = this.settings;
    if (this.#queue.length >= s.queueLimit) {
      this.#log.line('QUEUE_FULL', { queued: this.#queue.length, limit: s.queueLimit });
      return overloadError('WORKER_QUEUE_FULL', 1, this.interpreter, this.#queue.length);
    }
    if (liveCount(this.#workers) === 0 && Date.now() < this.#noStartBefore) {
      return overloadError('WORKER_START_FAILED', (this.#noStartBefore - Date.now()) / 1000, this.interpreter, this.#lastStartFailure);
    }
    this.#queue.push(item, opener);
    this.#growIfBusy();
    return null;
  }

  #requeue(req: BridgeRequest): void {
    this.#queue.unshift(req);
    this.#drain();
    this.#growIfBusy();
  }

  // Runs two or three times per request, almost always with nothing waiting: no closure then.
  #drain(): void {
    if (this.#queue.length && !this.#queue.bindWhile(this.#pickFn)) this.#growIfBusy();
  }

  readonly #pickFn = (): Worker | null => this.#pick();

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
      if (worker.state === 'retiring' && worker.streams.size === 0) this.#workers.sendExit(worker, EXIT_GRACE_MS);
    }
    this.#drain();
    this.#wakeIfIdle();
  }

  // --- workers ---------------------------------------------------------------------------------
  /** Starts one more worker when all are busy, within maxProcesses, one start at a time. */
  #growIfBusy(): void {
    if (this.#closing || Date.now() < this.#noStartBefore) return;
    if (shouldGrow(this.#workers, this.settings.maxProcesses)) this.#spawn(null);
  }

  #spawn(replaces: Worker | null): Worker {
    return this.#workers.spawn(this.settings, this.#init, replaces);
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

  #onInitialized(worker: Worker): void {
    if (!this.#workers.markInitialized(worker)) return;
    for (const fn of this.#startWaiters.splice(0)) fn();
    this.#lastStartFailure = '';
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

  #onExited(worker: Worker, info: ExitInfo): void {
    const t = this.#workers.forget(worker);
    if (!t) return;
    const words = worker.killCause?.words ?? describeExit(info, worker.lastRssKiB, this.settings.maxMemoryMiB);
    const cause: LostCause = worker.killCause ?? { kind: 'crash', words };
    const { running, failed, moved } = loseStreams(worker, cause);
    t.settle();
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
    this.#wakeIfIdle();
  }

  #onUnexpectedExit(worker: Worker, t: GoneWorker, words: string, cause: LostCause): void {
    const reason = cause.kind === 'deadline' ? 'deadline' : t.initialized ? 'crash' : 'start-failure';
    this.#restarts[reason] = (this.#restarts[reason] ?? 0) + 1;
    if (this.#closing) return;
    const delay = this.#backoff.onDeath(Date.now() - worker.startedAt, !t.initialized);
    if (!t.initialized) {
      for (const fn of this.#startWaiters.splice(0)) fn();
      this.#lastStartFailure = `the last worker ${words}`;
      this.#noStartBefore = Date.now() + delay;
      if (liveCount(this.#workers) === 0) {
        // Nothing can serve the waiting requests soon: tell their clients now, with a retry hint.
        this.#queue.failAll(() => overloadError('WORKER_START_FAILED', delay / 1000, this.interpreter, this.#lastStartFailure));
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
    const need = (): boolean => needsSuccessor(liveCount(this.#workers), this.#queue.length, this.settings);
    if (!need()) return;
    this.#respawnTimer = setTimeout(() => {
      this.#respawnTimer = null;
      if (!this.#closing && need()) this.#spawn(null);
    }, delay);
  }

  #houseKeep(): void {
    const s = this.settings;
    const now = Date.now();
    let live = liveCount(this.#workers);
    for (const w of this.#workers) {
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
        this.#workers.retire(w);
        live--;
      }
      if (w.state === 'ready' && now - w.startedAt > this.#backoff.healthyMs) this.#backoff.onHealthy();
    }
  }

  // --- idle (shutdown waits for the running and queued requests) -------------------------------
  #isIdle(): boolean {
    if (this.#queue.length) return false;
    for (const w of this.#workers) if (w.streams.size) return false;
    return true;
  }

  #wakeIfIdle(): void {
    if (this.#isIdle()) for (const fn of this.#idleWaiters.splice(0)) fn();
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
