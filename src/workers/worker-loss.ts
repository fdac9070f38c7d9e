/**
 * @module workers/worker-loss — what happens to the streams of a worker that died: a request the
 * worker had not begun runs on another worker, everything else fails.
 */
import { BridgeRequest } from './bridge-request.js';
import type { LostCause, Worker } from './worker.js';

/** What the log line of a worker's death says about its streams. */
export interface LostStreams {
  /** The streams Python code was running for, quoted ("GET /x"). */
  running: string[];
  /** Streams that fail with the worker. */
  failed: number;
  /** Requests the worker never began: they run elsewhere. */
  moved: number;
}

/** Tells every stream of the dead `worker` that it is lost. Child requests (internal redirects)
 *  run inside their parent, so they count as begun. */
export function loseStreams(worker: Worker, cause: LostCause): LostStreams {
  const lastBegun = worker.proc.lastBegunAtExit;
  const streams = worker.streams.values();
  const running = streams.filter((s) => s.executing).map((s) => `"${s.describe()}"`);
  let failed = 0;
  let moved = 0;
  for (const s of streams) {
    const begun = !(s instanceof BridgeRequest) || s.parent !== null || s.id <= lastBegun;
    if (begun) failed++;
    else moved++;
    s.onWorkerLost(worker, begun, cause);
  }
  return { running, failed, moved };
}
