/**
 * @module workers/supervisor — the rules that keep a pool's workers healthy, as small pure
 * pieces the pool applies: how an exit is described in the log, the crash-loop backoff, the
 * jittered max-requests limit, and the memory check.
 */
import type { ExitInfo } from './worker-process.js';

/** "exited with status 1", "killed by SIGSEGV", "killed by SIGKILL (RSS was 510 MiB of a 512 MiB limit: out of memory)". */
export function describeExit(info: ExitInfo, lastRssKiB: number, maxMemoryMiB: number): string {
  if (info.spawnError) return `cannot run the Python executable: ${info.spawnError.message}`;
  if (info.protocolError) return `was stopped because it broke the protocol: ${info.protocolError.message}`;
  if (info.signal) {
    let words = `was killed by ${info.signal}`;
    if (info.signal === 'SIGKILL') {
      const rssMiB = Math.round(lastRssKiB / 1024);
      if (maxMemoryMiB > 0 && lastRssKiB >= maxMemoryMiB * 1024 * 0.9) {
        words += ` (its RSS was ${rssMiB} MiB of a ${maxMemoryMiB} MiB limit: most likely out of memory)`;
      } else if (lastRssKiB > 0) {
        words += ` (the kernel's OOM killer or an operator; its RSS was ${rssMiB} MiB)`;
      }
    }
    return words;
  }
  return `exited with status ${info.code ?? 'unknown'}`;
}

/**
 * Exponential backoff for workers that die young: 0 for the first failure after a healthy run,
 * then 100 ms, 200 ms, … up to `maxMs`. A worker that stays up `healthyMs` resets it.
 */
export class Backoff {
  #failures = 0;
  /** When the current run of failures began (Date.now()). */
  firstFailureAt = 0;
  constructor(
    readonly baseMs = 100,
    readonly maxMs = 10_000,
    readonly healthyMs = 5_000,
  ) {}

  get failures(): number {
    return this.#failures;
  }

  /** Records a worker's death after `livedMs`; returns the delay before starting the next one. */
  onDeath(livedMs: number, beforeReady: boolean): number {
    if (!beforeReady && livedMs >= this.healthyMs) this.#failures = 0;
    if (this.#failures === 0) this.firstFailureAt = Date.now();
    this.#failures++;
    if (this.#failures === 1 && !beforeReady) return 0;
    return Math.min(this.maxMs, this.baseMs * 2 ** (this.#failures - 1));
  }

  onHealthy(): void {
    this.#failures = 0;
  }
}

/** maxRequests plus a random part of the jitter, so workers do not all recycle at once (0 = never). */
export function jitteredLimit(maxRequests: number, jitter: number, random: () => number = Math.random): number {
  if (maxRequests <= 0) return Infinity;
  return maxRequests + Math.floor(random() * (Math.max(0, jitter) + 1));
}

/** True when the worker's RSS is over the pool's memory limit (0 = unlimited). */
export function overMemory(rssKiB: number | null, maxMemoryMiB: number): boolean {
  return maxMemoryMiB > 0 && rssKiB !== null && rssKiB > maxMemoryMiB * 1024;
}
