/**
 * @module int-table — values by integer key (stream ids, lock tokens) in a null-prototype
 * object, for the long-lived tables whose keys change with every request.
 *
 * Why not a Map: a table that lives for minutes ends up, with its hash table, in V8's old
 * generation, and V8 then allocates every replacement hash table there too. A hash table replaced
 * by a rehash still points at the entries it held, and a dead table in the old generation keeps
 * what it points to alive through every young-generation GC until the next full one. A Map
 * whose keys change with every request therefore made V8 promote the requests themselves: at
 * hello c32 a worker's streams Map (with the pool's queue and a Set) promoted ~2.5 MB per
 * scavenge and forced a mark-compact every ~0.2 s; with this table, 45 KB and one every few
 * seconds, and Node's CPU per request fell by a third (bench/performance-notes.md). Integer
 * keys of a plain object live in an element dictionary whose small tables are allocated young,
 * so they die young.
 */
export class IntTable<V> {
  #byKey: Record<number, V> = Object.create(null) as Record<number, V>;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(key: number): V | undefined {
    return this.#byKey[key];
  }

  has(key: number): boolean {
    return this.#byKey[key] !== undefined;
  }

  /** Stores `value` (never undefined) under `key`. */
  set(key: number, value: V): void {
    if (this.#byKey[key] === undefined) this.#size++;
    this.#byKey[key] = value;
  }

  /** True when `key` was there. */
  delete(key: number): boolean {
    if (this.#byKey[key] === undefined) return false;
    delete this.#byKey[key];
    this.#size--;
    return true;
  }

  /** Deletes `key` only while it holds `value` (a stream id still bound to that stream); true
   *  when it did. */
  deleteIf(key: number, value: V): boolean {
    if (this.#byKey[key] !== value || value === undefined) return false;
    delete this.#byKey[key];
    this.#size--;
    return true;
  }

  /** The values in key order, as a copy: callers may delete while they go through it. */
  values(): V[] {
    const out: V[] = [];
    for (const key in this.#byKey) out.push(this.#byKey[key as unknown as number] as V);
    return out;
  }
}
