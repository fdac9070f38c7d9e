/**
 * @module config/bounded-cache — per-request lookups remembered per owner (a loaded
 * configuration or one server): the entries die with the owner, so a reload starts afresh, and
 * each owner keeps at most `limit` of them. A full map is cleared rather than pruned: the keys
 * (URIs, file names, addresses) are cheap to recompute and a miss only costs that work again.
 */
export class BoundedCache<Owner extends object, V> {
  readonly #byOwner = new WeakMap<Owner, Map<string, V>>();

  constructor(private readonly limit: number) {}

  get(owner: Owner, key: string): V | undefined {
    return this.#byOwner.get(owner)?.get(key);
  }

  set(owner: Owner, key: string, value: V): void {
    let entries = this.#byOwner.get(owner);
    if (!entries) {
      entries = new Map();
      this.#byOwner.set(owner, entries);
    }
    if (entries.size >= this.limit) entries.clear();
    entries.set(key, value);
  }
}
