/**
 * @module services/registry — server-side services that Python code calls through the worker
 * bridge (RequestHost.call): session stores shared by all workers, cross-process global locks,
 * and whatever later features add. One name → one async function; the pipeline routes every
 * `call(method, args)` that is not its own (internal_redirect, …) here.
 */

/** What a service learns about the caller. */
export interface ServiceContext {
  interpreter: string;
  workerPid: number;
  /** Request id inside the worker, when the call comes from a request. */
  rid?: number;
  /** Released when the request (or connection, or worker for its own calls) ends: services
   *  register cleanups here, e.g. to free a lock the request forgot to release. A caller may pass
   *  the same context object for all its calls; services then key per-caller state by it. */
  onEnd(cleanup: () => void): void;
}

export type ServiceFn = (args: Record<string, unknown>, ctx: ServiceContext) => Promise<unknown>;

export class ServiceRegistry {
  readonly #services = new Map<string, ServiceFn>();

  register(name: string, fn: ServiceFn): void {
    if (this.#services.has(name)) throw new Error(`service ${name} registered twice`);
    this.#services.set(name, fn);
  }

  has(name: string): boolean {
    return this.#services.has(name);
  }

  async call(name: string, args: Record<string, unknown>, ctx: ServiceContext): Promise<unknown> {
    const fn = this.#services.get(name);
    if (!fn) throw new Error(`unknown server call '${name}'`);
    return fn(args, ctx);
  }
}
