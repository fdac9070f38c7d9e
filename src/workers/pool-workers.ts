/**
 * @module workers/pool-workers — the worker processes of one pool and their lifecycle: started
 * with worker.init under a startup timeout, serving once worker_init (PythonImport) has run,
 * retired (asked to exit once their streams are done), given a grace period to exit before
 * SIGKILL, and forgotten when the process is gone. A worker may be started to replace another
 * (rolling restart): the old one retires when the new one is ready, and serves on if the new
 * one dies first.
 */
import type { PoolSettings } from '../config/types.js';
import { jitteredLimit } from './supervisor.js';
import type { WorkerInit } from './types.js';
import { Worker, type WorkerHooks } from './worker.js';

/** How long a retired worker has for worker.exit (its server cleanups) before SIGKILL. */
export const EXIT_GRACE_MS = 5000;

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

/** What the pool knew of a worker whose process is gone (see PoolWorkers.forget). */
export interface GoneWorker {
  /** It had run worker_init (else it died starting). */
  initialized: boolean;
  /** We asked it to exit (retired, reload, shutdown). */
  expectedExit: boolean;
  /** To call once its streams have been told: the worker it was to replace serves on, and
   *  whoever waits for it to be gone (reload, shutdown) goes on. */
  settle(): void;
}

export class PoolWorkers {
  readonly #workers = new Map<Worker, Tracked>();

  constructor(
    private readonly interpreter: string,
    private readonly packageDir: string,
    private readonly hooks: WorkerHooks,
  ) {}

  [Symbol.iterator](): IterableIterator<Worker> {
    return this.#workers.keys();
  }

  /** Starts a worker (to replace `replaces`, if given); it is killed if it is not ready
   *  within settings.startupTimeoutMs. */
  spawn(settings: PoolSettings, init: WorkerInit, replaces: Worker | null): Worker {
    const worker = new Worker(
      this.interpreter,
      settings,
      this.packageDir,
      this.hooks,
      jitteredLimit(settings.maxRequests, settings.maxRequestsJitter),
    );
    let markGone = (): void => undefined;
    const gone = new Promise<void>((resolve) => (markGone = resolve));
    const t: Tracked = { initialized: false, expectedExit: false, replaces, gone, markGone };
    this.#workers.set(worker, t);
    if (settings.startupTimeoutMs > 0) {
      t.startTimer = setTimeout(() => {
        if (!t.initialized) {
          worker.killCause = { kind: 'crash', words: `did not become ready within ${settings.startupTimeoutMs} ms` };
          worker.proc.kill('SIGKILL');
        }
      }, settings.startupTimeoutMs);
    }
    worker.proc.send({ type: 'worker.init', init: { ...init, interpreter: this.interpreter } });
    return worker;
  }

  /** The worker ran worker_init: it serves from now on, and the worker it replaces retires.
   *  False for a worker this pool does not (or no longer) track. */
  markInitialized(worker: Worker): boolean {
    const t = this.#workers.get(worker);
    if (!t) return false;
    t.initialized = true;
    if (t.startTimer) clearTimeout(t.startTimer);
    if (worker.state === 'starting') worker.state = 'ready';
    if (t.replaces) {
      this.retire(t.replaces);
      t.replaces = null;
    }
    return true;
  }

  /** Whether a worker that is not gone has run worker_init. */
  hasInitialized(): boolean {
    for (const [w, t] of this.#workers) if (t.initialized && w.state !== 'gone') return true;
    return false;
  }

  /** Takes no new streams; exits once the streams it has are done. */
  retire(worker: Worker): void {
    if (worker.state === 'retiring' || worker.state === 'gone') return;
    worker.state = 'retiring';
    if (worker.streams.size === 0) this.sendExit(worker, EXIT_GRACE_MS);
  }

  /** Asks the worker to exit (worker_exit runs its server cleanups); SIGKILL after `graceMs`. */
  sendExit(worker: Worker, graceMs: number): void {
    const t = this.#workers.get(worker);
    if (!t || t.expectedExit) return;
    t.expectedExit = true;
    worker.state = 'retiring';
    if (worker.proc.exited) return;
    worker.proc.send({ type: 'worker.exit' });
    t.exitTimer = setTimeout(() => worker.proc.kill('SIGKILL'), graceMs);
  }

  /** Resolves once each of `workers` is gone. */
  async whenGone(workers: Worker[]): Promise<void> {
    await Promise.all(workers.map((w) => this.#workers.get(w)?.gone));
  }

  /** The worker's process is gone: drops it (and its timers). Undefined if not tracked. */
  forget(worker: Worker): GoneWorker | undefined {
    const t = this.#workers.get(worker);
    if (!t) return undefined;
    this.#workers.delete(worker);
    if (t.startTimer) clearTimeout(t.startTimer);
    if (t.exitTimer) clearTimeout(t.exitTimer);
    return {
      initialized: t.initialized,
      expectedExit: t.expectedExit,
      settle() {
        if (t.replaces && t.replaces.state === 'replacing') t.replaces.state = 'ready';
        t.markGone();
      },
    };
  }
}
