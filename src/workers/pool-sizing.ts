/**
 * @module workers/pool-sizing — which worker of a pool takes the next request, and when the
 * pool needs one more worker: pure decisions over the workers' states and loads.
 */
import type { PoolSettings } from '../config/types.js';
import type { Worker } from './worker.js';

/** Ready, or being replaced: a worker being replaced serves until its replacement is ready. */
export function takesRequests(worker: Worker): boolean {
  return worker.state === 'ready' || worker.state === 'replacing';
}

/** Starting or serving (not retiring, not gone). */
function isLive(worker: Worker): boolean {
  return worker.state === 'starting' || takesRequests(worker);
}

/** Workers starting or serving. */
export function liveCount(workers: Iterable<Worker>): number {
  let n = 0;
  for (const w of workers) if (isLive(w)) n++;
  return n;
}

/** The least-loaded worker that takes requests and has fewer than `pipeline` bound, or null:
 *  with `pipeline` above 1 a worker has its next request queued while it runs the current one. */
export function pickWorker(workers: Iterable<Worker>, pipeline: number): Worker | null {
  let best: Worker | null = null;
  const limit = Math.max(1, pipeline);
  for (const w of workers) {
    if (!takesRequests(w) || w.load >= limit) continue;
    if (!best || w.load < best.load) best = w;
  }
  return best;
}

/** Whether to start one more worker: none is live, or all are busy below maxProcesses. One
 *  start at a time: never while another worker is starting. */
export function shouldGrow(workers: Iterable<Worker>, maxProcesses: number): boolean {
  let starting = false;
  let idle = false;
  let live = 0;
  for (const w of workers) {
    if (w.state === 'starting') starting = true;
    if (takesRequests(w) && w.load === 0) idle = true;
    if (isLive(w)) live++;
  }
  if (starting) return false;
  return live === 0 || (!idle && live < maxProcesses);
}

/** Whether a worker that died needs a successor: the pool is below minProcesses (at least
 *  one), or requests wait and it is below maxProcesses. */
export function needsSuccessor(live: number, queued: number, settings: PoolSettings): boolean {
  return live < Math.max(1, settings.minProcesses) || (queued > 0 && live < settings.maxProcesses);
}
