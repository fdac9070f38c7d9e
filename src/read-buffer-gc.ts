/**
 * @module read-buffer-gc — frees the buffers of large reads in a young-generation GC, before
 * V8's external-memory limit sends them through a full one.
 *
 * Every socket read gives JavaScript a new buffer allocated outside the V8 heap (up to 64 KiB),
 * and a request body or a worker's answer of 64 KiB means several of them per request. They
 * die young, but V8 only frees them when a GC runs. With little JavaScript allocated per request
 * the young generation fills slowly, so scavenges are rare, the dead buffers add up, and V8's
 * limit on external memory (64 MB since the last full GC) starts mark-compacts of the whole
 * heap instead: ~140 in 7 s at 64 KiB echo c1, most of Node's CPU per request.
 *
 * So the bytes read from clients' bodies and from workers are counted, and every
 * `MINOR_GC_EVERY_BYTES` a scavenge is run (it frees the young buffers and costs a fraction of a
 * millisecond). Measured (bench/performance-notes.md): echo c1 2.5–2.7k → 3.2–3.3k req/s, Node's
 * CPU per request 310–345 → 190–200 µs, p99 5.7–6.1 → 1.7–2.9 ms. A hello request reads a few
 * hundred bytes, so it triggers one per ~28 000 requests, about as often as scavenges run anyway.
 * After a burst has grown the young generation, V8 can still fall into back-to-back
 * mark-compacts of another cause; gc-loop-breaker.ts ends those.
 *
 * `gc` comes from a new context made after `--expose-gc` is set at run time: the flag only
 * affects contexts created after it, and the main one stays without a global `gc` (the way
 * jest's leak detector gets it). If the runtime refuses, counting stays and nothing is run.
 *
 * Switched on by the server (cli/runtime: enableReadBufferGc), not at import: a Node
 * application that mounts modpy keeps its own GC, and until then reads are only counted.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const MINOR_GC_EVERY_BYTES = 8 * 1024 * 1024;

type GcFunction = (options: { type: 'minor' | 'major'; execution?: 'sync' | 'async' }) => void;

function exposeGc(): GcFunction | null {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as GcFunction) : null;
  } catch {
    return null;
  }
}

/** Counts bytes read and calls `scavenge` once every `everyBytes`. */
export class ReadByteCounter {
  #bytes = 0;

  constructor(
    private readonly everyBytes: number,
    private readonly scavenge: () => void,
  ) {}

  note(bytes: number): void {
    this.#bytes += bytes;
    if (this.#bytes < this.everyBytes) return;
    this.#bytes = 0;
    this.scavenge();
  }
}

let gc: GcFunction | null = null;
const counter = new ReadByteCounter(MINOR_GC_EVERY_BYTES, () => gc?.({ type: 'minor' }));

/** Lets the counted reads run scavenges in this process (idempotent). */
export function enableReadBufferGc(): void {
  gc ??= exposeGc();
}

/** Counts `bytes` just read into a fresh buffer; runs a scavenge every MINOR_GC_EVERY_BYTES. */
export function noteReadBytes(bytes: number): void {
  counter.note(bytes);
}

/** True when scavenges are run (tests check that the mechanism is live on this runtime). */
export function readBufferGcAvailable(): boolean {
  return gc !== null;
}
