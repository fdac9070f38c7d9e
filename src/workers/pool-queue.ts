/**
 * @module workers/pool-queue — the requests and connections of a pool waiting for a worker, in
 * order, with the open() promise of each waiting request: it resolves when the request is bound
 * to a worker and rejects when the request will never run.
 */
import type { ModpyError } from '../errors.js';
import type { BridgeConnection } from './bridge-connection.js';
import type { BridgeRequest } from './bridge-request.js';
import type { PythonRequest } from './types.js';
import type { Worker } from './worker.js';

/** What runs on a worker of the pool: a request or a PythonConnectionHandler connection. */
export type Bindable = BridgeRequest | BridgeConnection;

/** The open() promise of a waiting request (a connection reports through its own `done`). */
export interface Opener {
  resolve(req: PythonRequest): void;
  reject(err: Error): void;
}

export class PoolQueue {
  readonly #items: Bindable[] = [];
  readonly #openers = new Map<Bindable, Opener>();

  get length(): number {
    return this.#items.length;
  }

  /** Waits behind everything already waiting. */
  push(item: Bindable, opener?: Opener): void {
    this.#items.push(item);
    if (opener) this.#openers.set(item, opener);
  }

  /** Waits first (a request that a dead worker never began). */
  unshift(item: Bindable): void {
    this.#items.unshift(item);
  }

  /** Binds waiting items, first come first served, to the workers pick() gives; false when it
   *  runs out of workers with items still waiting. */
  bindWhile(pick: () => Worker | null): boolean {
    while (this.#items.length) {
      const worker = pick();
      if (!worker) return false;
      const item = this.#items.shift()!;
      item.bind(worker);
      const opener = this.#openers.get(item);
      if (opener) {
        this.#openers.delete(item);
        opener.resolve(item as BridgeRequest);
      }
    }
    return true;
  }

  /** Every waiting item will never run: its open() rejects, or its pending call does. */
  failAll(error: () => ModpyError): void {
    for (const item of this.#items.splice(0)) {
      const err = error();
      const opener = this.#openers.get(item);
      this.#openers.delete(item);
      if (opener) opener.reject(err);
      else item.fail(err);
    }
  }
}
