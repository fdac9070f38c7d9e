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

/** A waiting item with the open() promise of a request (connections have none). */
interface Waiting {
  readonly item: Bindable;
  readonly opener: Opener | undefined;
}

/**
 * The openers travel with their items in the array, not in a Map keyed by item: a long-lived
 * Map whose keys change with every request makes V8 promote the requests it held to the old
 * generation (int-table.ts says how).
 */
export class PoolQueue {
  readonly #waiting: Waiting[] = [];

  get length(): number {
    return this.#waiting.length;
  }

  /** Waits behind everything already waiting. */
  push(item: Bindable, opener?: Opener): void {
    this.#waiting.push({ item, opener });
  }

  /** Waits first (a request that a dead worker never began). */
  unshift(item: Bindable): void {
    this.#waiting.unshift({ item, opener: undefined });
  }

  /** Binds waiting items, first come first served, to the workers pick() gives; false when it
   *  runs out of workers with items still waiting. */
  bindWhile(pick: () => Worker | null): boolean {
    while (this.#waiting.length) {
      const worker = pick();
      if (!worker) return false;
      const { item, opener } = this.#waiting.shift()!;
      item.bind(worker);
      opener?.resolve(item as BridgeRequest);
    }
    return true;
  }

  /** Every waiting item will never run: its open() rejects, or its pending call does. */
  failAll(error: () => ModpyError): void {
    for (const { item, opener } of this.#waiting.splice(0)) {
      const err = error();
      if (opener) opener.reject(err);
      else item.fail(err);
    }
  }
}
