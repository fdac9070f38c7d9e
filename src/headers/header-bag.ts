/**
 * @module headers/header-bag — a response header list that is case-insensitive on names and
 * keeps insertion order and repeated headers (Set-Cookie), like an APR table.
 */

export interface HeaderBag {
  /** Every value of `name`, in order ([] when absent). */
  get(name: string): string[];
  /** Replaces every `name` header by one, kept at the position of the first. */
  set(name: string, value: string): void;
  /** Adds another `name` header after the existing ones. */
  add(name: string, value: string): void;
  /** Removes every `name` header. */
  remove(name: string): void;
  /** The headers in order, names as first written. */
  entries(): [string, string][];
}

class ListHeaderBag implements HeaderBag {
  private list: [string, string][];

  constructor(initial: readonly [string, string][]) {
    this.list = initial.map(([n, v]) => [n, v]);
  }

  get(name: string): string[] {
    const key = name.toLowerCase();
    const out: string[] = [];
    for (const [n, v] of this.list) if (n.toLowerCase() === key) out.push(v);
    return out;
  }

  set(name: string, value: string): void {
    const key = name.toLowerCase();
    const first = this.list.findIndex(([n]) => n.toLowerCase() === key);
    if (first < 0) {
      this.list.push([name, value]);
      return;
    }
    const kept = this.list[first] as [string, string];
    kept[1] = value;
    this.list = this.list.filter((entry, i) => i === first || entry[0].toLowerCase() !== key);
  }

  add(name: string, value: string): void {
    this.list.push([name, value]);
  }

  remove(name: string): void {
    const key = name.toLowerCase();
    this.list = this.list.filter(([n]) => n.toLowerCase() !== key);
  }

  entries(): [string, string][] {
    return this.list.map(([n, v]) => [n, v]);
  }
}

/** Creates a HeaderBag, optionally from existing [name, value] pairs. */
export function createHeaderBag(initial: readonly [string, string][] = []): HeaderBag {
  return new ListHeaderBag(initial);
}
