/**
 * @module young-generation-cap — keeps V8's young generation at most 8 MB per semi-space in the
 * server process, the effect of `node --max-semi-space-size=8`, set at run time.
 *
 * Why: a burst of requests (32 connections of session read+write, in the bench) grows the young
 * generation to its 16 MB maximum. When the load then turns into 64 KiB bodies, V8 can fall into
 * a mark-compact every ~30 ms: it starts marking whenever the old generation's headroom (23 MB
 * at 10 MB live) is not above the young generation's capacity, and every mark-compact sets the
 * same limit again (bench/performance-notes.md has the trace). In one run out of two or three
 * that loop took 25–95 full collections in 5 s of echo c1, with p99 3 → 10–19 ms.
 * `--max-semi-space-size=8` ends it and was measured free for hello c32, but V8 reads that flag
 * only when the heap is made, and re-launching Node with it would cost a second process.
 *
 * What V8 does read at run time is the growth factor it multiplies the semi-space by when a
 * scavenge finds it too small. So after every GC the size is looked at: once the young generation
 * has reached the cap, the factor is set to 1 (no more growth); when V8 has shrunk it again
 * (idle, memory reducer), the factor goes back to V8's default, 2. The check runs from a `gc`
 * PerformanceObserver, after the collection that grew it and before the next one.
 *
 * Installed by the server (cli/runtime), not at import: a Node application that mounts modpy
 * keeps its own heap settings.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** The cap: 8 MiB per semi-space. V8 reports the young generation's size (`new_space`) as both
 *  semi-spaces together. */
export const YOUNG_GENERATION_CAP_BYTES = 2 * 8 * 1024 * 1024;
/** V8's own semi-space growth factor (flag-definitions: semi_space_growth_factor). */
const DEFAULT_GROWTH_FACTOR = 2;

/** The young generation's current size in bytes (0 if this V8 does not report it). */
export function youngGenerationBytes(): number {
  for (const space of getHeapSpaceStatistics()) if (space.space_name === 'new_space') return space.space_size;
  return 0;
}

/** Decides the growth factor from the size after a GC; calls `setFactor` only on a change. */
export class GrowthGovernor {
  #capped = false;

  constructor(
    private readonly capBytes: number,
    private readonly setFactor: (factor: number) => void,
  ) {}

  get capped(): boolean {
    return this.#capped;
  }

  afterGc(youngBytes: number): void {
    const atCap = youngBytes >= this.capBytes;
    if (atCap === this.#capped) return;
    this.#capped = atCap;
    this.setFactor(atCap ? 1 : DEFAULT_GROWTH_FACTOR);
  }
}

let observer: PerformanceObserver | null = null;

/** Starts capping the young generation of this process (idempotent). */
export function capYoungGeneration(): void {
  if (observer) return;
  const governor = new GrowthGovernor(YOUNG_GENERATION_CAP_BYTES, (factor) =>
    setFlagsFromString(`--semi-space-growth-factor=${factor}`),
  );
  governor.afterGc(youngGenerationBytes());
  observer = new PerformanceObserver(() => governor.afterGc(youngGenerationBytes()));
  observer.observe({ entryTypes: ['gc'] });
}

/** Stops capping and gives V8 its default growth back (tests). */
export function uncapYoungGeneration(): void {
  if (!observer) return;
  observer.disconnect();
  observer = null;
  setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_GROWTH_FACTOR}`);
}
