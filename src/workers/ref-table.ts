/**
 * @module workers/ref-table — values a worker has already been sent, by number.
 *
 * Frozen values that recur from request to request (a connection's addresses, a directory's
 * PythonOption table, a handler list) travel to a worker once, in a `ref.define`, and by their
 * number after that: smaller messages to encode in Node and to decode in Python. Both ends keep
 * at most REF_CAPACITY of them and drop the oldest definition first; since definitions reach
 * the worker in the order they were made, the two tables always hold the same numbers.
 */

/** Definitions a worker keeps; the Python side (channel refs) uses the same number. */
export const REF_CAPACITY = 4096;

export class RefTable {
  readonly #refs = new Map<object, number>();
  #next = 0;

  /** The number of `value`; `define` is called (before this returns) when it is new. */
  refOf(value: object, define: (ref: number, value: object) => void): number {
    const known = this.#refs.get(value);
    if (known !== undefined) return known;
    if (this.#refs.size >= REF_CAPACITY) this.#refs.delete(this.#refs.keys().next().value as object);
    const ref = ++this.#next;
    this.#refs.set(value, ref);
    define(ref, value);
    return ref;
  }
}
