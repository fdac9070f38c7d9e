/**
 * @module gc-loop-breaker — notices V8 running mark-compacts back to back for nothing and pauses
 * its incremental marking for a while, which ends the loop.
 *
 * The loop (bench/performance-notes.md has the traces): with a small old generation (~10 MB
 * live) V8 sets its next limit at live + 8 MB + the young generation's capacity, and it schedules
 * incremental marking as soon as the room left under that limit is not above the young
 * generation's size. After a burst of requests has grown the young generation, that is true
 * right after every mark-compact, so marking starts again at once: a mark-compact every ~40 ms
 * that frees nothing, 25–130 of them in 5 s of 64 KiB echo c1, in about one run out of two
 * after the bench's session burst (echo c1 3.2k → 2.1–2.6k req/s, p99 2.5 → 5–8 ms). Capping the
 * young generation does not end it (at 8 MB per semi-space the room and the trigger are still
 * equal); only a cap of 4 MB does, at ~8 % of hello c32.
 *
 * With incremental marking off, V8 collects the old generation only when it reaches its limit
 * (one atomic mark-compact, ~6–8 ms on this heap), and the loop cannot start. So when majors come
 * `LOOP_MAJORS` times within `LOOP_WINDOW_MS`, incremental marking is turned off for
 * `PAUSE_MS` and then on again: the usual heap keeps V8's default behaviour, and a loop that
 * comes back costs a few wasted collections per pause.
 *
 * The flag is read by V8 each time it considers starting to mark (`v8.setFlagsFromString` at
 * run time; test/unit/gc-loop-breaker.test.ts checks that this runtime honours it). Installed by
 * the server (cli/runtime), not at import: a Node application that mounts modpy keeps its own
 * GC.
 */
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';

/** This many major GCs within LOOP_WINDOW_MS is a loop: a busy server sees one every few
 *  seconds (hello c32: one in 5–10 s). 3 ends the echo loop after ~100 ms (6 measured the same,
 *  with twice the wasted collections). */
export const LOOP_MAJORS = 3;
export const LOOP_WINDOW_MS = 1000;
/** How long incremental marking stays off once a loop was seen. */
export const PAUSE_MS = 60_000;

/** Decides from the times of major GCs when to pause incremental marking (pure: tests). */
export class LoopDetector {
  readonly #times: number[] = [];
  #pausedUntil = 0;

  /** A major GC ended at `now` (ms). True when incremental marking should be paused now. */
  major(now: number): boolean {
    if (now < this.#pausedUntil) return false;
    const times = this.#times;
    times.push(now);
    while (times.length > 0 && (times[0] as number) <= now - LOOP_WINDOW_MS) times.shift();
    if (times.length < LOOP_MAJORS) return false;
    times.length = 0;
    this.#pausedUntil = now + PAUSE_MS;
    return true;
  }
}

export function setIncrementalMarking(on: boolean): void {
  setFlagsFromString(on ? '--incremental-marking' : '--no-incremental-marking');
}

let observer: PerformanceObserver | null = null;
let resume: NodeJS.Timeout | null = null;

/** Starts watching this process's major GCs for the life of the process (idempotent). `onPause`
 *  is told of each pause (for the log). */
export function breakGcLoops(onPause: () => void): void {
  if (observer) return;
  const detector = new LoopDetector();
  observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if ((entry as { detail?: { kind?: number } }).detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
      if (!detector.major(entry.startTime + entry.duration)) continue;
      setIncrementalMarking(false);
      onPause();
      if (resume) clearTimeout(resume);
      resume = setTimeout(() => {
        resume = null;
        setIncrementalMarking(true);
      }, PAUSE_MS);
      resume.unref();
    }
  });
  observer.observe({ entryTypes: ['gc'] });
}
