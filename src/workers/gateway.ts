/**
 * @module workers/gateway — createGateway(): the PythonGateway the pipeline uses. One pool per
 * interpreter name, created on first use (or at start for PythonImport).
 *
 * @example
 *   const gateway = createGateway({ packageDir, log, services, init });
 *   const req = await gateway.open('main_interpreter', settings, head, host, 30_000);
 *   const result = await req.runPhase(call);
 *   await req.close();
 */
import { isAbsolute } from 'node:path';
import type { HandlerEntry, PoolSettings } from '../config/types.js';
import { createError } from '../errors.js';
import type { ServiceRegistry } from '../services/registry.js';
import { Pool } from './pool.js';
import type { ConnectionHead, ConnectionHost, PoolStats, PythonGateway, PythonRequest, RequestHead, RequestHost, ServerInfo, WorkerInit } from './types.js';
import type { LogFn } from './worker-process.js';

export interface GatewayOptions {
  /** Absolute path of the directory that holds the mod_python package (…/python). */
  packageDir: string;
  log: LogFn;
  services: ServiceRegistry;
  init: WorkerInit;
  /** How often worker RSS and idle time are checked (default 1000 ms). */
  housekeepingMs?: number;
}

export function createGateway(opts: GatewayOptions): PythonGateway {
  if (!isAbsolute(opts.packageDir)) throw new TypeError(`packageDir must be an absolute path, got '${opts.packageDir}'`);
  const pools = new Map<string, Pool>();
  let closing = false;
  // Replaced by reload(init): pools created after a reload start from the new configuration too.
  let init = opts.init;

  function pool(interpreter: string, settings: PoolSettings): Pool {
    let p = pools.get(interpreter);
    if (!p) {
      if (closing) throw createError('WORKER_SHUTTING_DOWN', interpreter);
      p = new Pool(interpreter, settings, {
        packageDir: opts.packageDir,
        log: opts.log,
        services: opts.services,
        init,
        housekeepingMs: opts.housekeepingMs,
      });
      pools.set(interpreter, p);
    } else if (p.settings !== settings) {
      p.settings = settings; // a reloaded configuration applies to the workers started from now on
    }
    return p;
  }

  return {
    open(interpreter: string, settings: PoolSettings, head: RequestHead, host: RequestHost, deadlineMs: number): Promise<PythonRequest> {
      try {
        return pool(interpreter, settings).open(head, host, deadlineMs);
      } catch (err) {
        return Promise.reject(err as Error);
      }
    },

    serveConnection(
      interpreter: string,
      settings: PoolSettings,
      handler: HandlerEntry,
      conn: ConnectionHead & { keepalives: number },
      server: ServerInfo,
      host: ConnectionHost,
    ): Promise<number> {
      try {
        return pool(interpreter, settings).serveConnection(handler, conn, server, host);
      } catch (err) {
        return Promise.reject(err as Error);
      }
    },

    async prestart(imports, settings): Promise<void> {
      // Each interpreter's workers run its PythonImport modules in worker_init; start-up
      // continues once every such pool has a ready worker (or has logged why it has none).
      const names = [...new Set(imports.map((i) => i.interpreter))];
      await Promise.all(names.map((name) => pool(name, settings(name)).started()));
    },

    async reload(next?: WorkerInit): Promise<void> {
      if (next) init = next;
      await Promise.all([...pools.values()].map((p) => p.reload(next)));
    },

    async shutdown(timeoutMs: number): Promise<void> {
      closing = true;
      await Promise.all([...pools.values()].map((p) => p.shutdown(timeoutMs)));
    },

    stats(): PoolStats[] {
      return [...pools.values()].map((p) => p.stats());
    },
  };
}
