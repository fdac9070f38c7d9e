/**
 * @module workers/stream-table — the streams (requests, connections) of one worker by id, kept
 * in a null-prototype object instead of a Map.
 *
 * Why not a Map: a worker lives for minutes, so its Map and the Map's hash table end up in V8's
 * old generation, and V8 then allocates every replacement table there too. A table replaced
 * by a rehash still holds the requests that were in it, and a dead table in the old generation
 * keeps what it points to alive through every young-generation GC until the next full one. A
 * Map whose keys change with every request therefore made V8 promote the requests themselves:
 * hello at 32 connections promoted ~2.5 MB per scavenge and ran a mark-compact every ~0.2 s;
 * with this table, 45 KB and one every few seconds (bench/performance-notes.md has the numbers).
 * Integer keys on a plain object live in an element dictionary whose small tables are
 * allocated young, so they die young.
 */
export class StreamTable<S extends { readonly id: number }> {
  #byId: Record<number, S> = Object.create(null) as Record<number, S>;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(id: number): S | undefined {
    return this.#byId[id];
  }

  add(stream: S): void {
    if (this.#byId[stream.id] === undefined) this.#size++;
    this.#byId[stream.id] = stream;
  }

  /** Removes `stream` if it is the one registered under its id; true when it was. */
  remove(stream: S): boolean {
    if (this.#byId[stream.id] !== stream) return false;
    delete this.#byId[stream.id];
    this.#size--;
    return true;
  }

  /** The streams in id order, as a copy: callers may remove streams while they go through it. */
  values(): S[] {
    const out: S[] = [];
    for (const id in this.#byId) out.push(this.#byId[id as unknown as number] as S);
    return out;
  }
}
