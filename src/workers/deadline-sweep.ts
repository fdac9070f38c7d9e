/**
 * @module workers/deadline-sweep — the pool's periodic check for requests that ran past their
 * deadline and grace period. Python cannot be interrupted from outside, so the worker running
 * such a request is killed (the request gets 504, the others on that worker 502).
 */
import { BridgeRequest } from './bridge-request.js';
import type { Worker } from './worker.js';

/** How often requests are checked for running past deadline + grace. */
export const DEADLINE_SWEEP_MS = 100;

/** Kills every worker that runs a request past its deadline and grace (named as the culprit). */
export function killOverrunning(workers: Iterable<Worker>, now: number): void {
  for (const w of workers) {
    for (const s of w.streams.values()) {
      if (s instanceof BridgeRequest && s.overran(now)) {
        w.killForDeadline(s, `the request "${s.describe()}" ran past its deadline and grace period`);
        break;
      }
    }
  }
}
