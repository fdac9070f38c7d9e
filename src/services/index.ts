/**
 * @module services/index — registers the session and global-lock services that Python calls
 * through `mod_python._worker.channel.server_call` (mod_python.Session, _apache._global_lock).
 *
 * Calls: `session.load {sid, store?, url?}` → string|null, `session.save {sid, data, timeout,
 * store?, url?}`, `session.delete {sid, store?, url?}`, `session.cleanup {store?, url?}` → number;
 * `lock.acquire {index}`, `lock.try {index}` → boolean, `lock.release {index}`.
 * `store` is "memory" (default) or "redis" (then `url`, else the server's default redis URL).
 */
import { createError } from '../errors.js';
import { GlobalLocks, checkLockIndex } from './global-locks.js';
import { MemorySessionStore, type MemoryStoreOptions } from './memory-store.js';
import { RedisSessionStore } from './redis-store.js';
import type { ServiceContext, ServiceRegistry } from './registry.js';
import { checkSessionId, checkTimeout, type SessionStore } from './session-store.js';

export { GlobalLocks } from './global-locks.js';
export { MemorySessionStore } from './memory-store.js';
export { RedisSessionStore } from './redis-store.js';
export type { SessionStore } from './session-store.js';

export interface SessionServiceOptions {
  memory?: MemoryStoreOptions;
  /** Used when RedisSession names no mod_python.session.redis_url. @default redis://127.0.0.1:6379/0 */
  defaultRedisUrl?: string;
}

/** What registerSessionServices created, so the server can close the stores at shutdown. */
export interface SessionServices {
  memory: MemorySessionStore;
  close(): Promise<void>;
}

export function registerSessionServices(registry: ServiceRegistry, opts: SessionServiceOptions = {}): SessionServices {
  const memory = new MemorySessionStore(opts.memory);
  const redis = new Map<string, RedisSessionStore>();
  const defaultRedisUrl = opts.defaultRedisUrl ?? 'redis://127.0.0.1:6379/0';

  const storeFor = (args: Record<string, unknown>): SessionStore => {
    const kind = args.store ?? 'memory';
    if (kind === 'memory') return memory;
    if (kind !== 'redis') throw createError('SESSION_UNKNOWN_STORE', String(kind));
    const url = typeof args.url === 'string' && args.url ? args.url : defaultRedisUrl;
    let store = redis.get(url);
    if (!store) redis.set(url, (store = new RedisSessionStore({ url })));
    return store;
  };

  registry.register('session.load', async (args) => storeFor(args).load(checkSessionId(args.sid)));
  registry.register('session.save', async (args) => {
    if (typeof args.data !== 'string') throw createError('SESSION_BAD_ARGUMENT', 'session.save needs data as a string');
    await storeFor(args).save(checkSessionId(args.sid), args.data, checkTimeout(args.timeout));
    return true;
  });
  registry.register('session.delete', async (args) => {
    await storeFor(args).delete(checkSessionId(args.sid));
    return true;
  });
  registry.register('session.cleanup', async (args) => storeFor(args).cleanup());

  return {
    memory,
    async close() {
      await Promise.all([memory.close(), ...[...redis.values()].map((s) => s.close())]);
      redis.clear();
    },
  };
}

let anonymous = 0;

/**
 * Who holds a lock. With the worker-side request id it is that request (and the lock is
 * re-entrant for it). Without one — a worker may serve a second request while the first waits
 * in a call — every acquisition is its own owner, so two requests of one worker still exclude
 * each other (no re-entrancy then, as with upstream's APR mutexes).
 */
function ownerOf(ctx: ServiceContext): string {
  return ctx.rid !== undefined ? `${ctx.workerPid}:${ctx.rid}` : `${ctx.workerPid}:#${++anonymous}`;
}

/** Whether a holder belongs to the caller (same request, or same worker without request ids). */
function isCaller(ctx: ServiceContext): (holder: string) => boolean {
  if (ctx.rid !== undefined) {
    const me = `${ctx.workerPid}:${ctx.rid}`;
    return (holder) => holder === me;
  }
  const prefix = `${ctx.workerPid}:#`;
  return (holder) => holder.startsWith(prefix);
}

/**
 * Makes each hold end, if still outstanding, when the caller that took it ends. The holds are
 * kept per context object with a single onEnd cleanup: a worker passes the same context for
 * all the calls it makes itself and ends only when it exits, so one cleanup per hold would pile
 * up for the worker's whole life although the holds were long released.
 */
function dropAtEnd(locks: GlobalLocks): (ctx: ServiceContext, token: number) => void {
  const held = new WeakMap<ServiceContext, Set<number>>();
  return (ctx, token) => {
    let tokens = held.get(ctx);
    if (!tokens) {
      const mine = (tokens = new Set());
      held.set(ctx, mine);
      ctx.onEnd(() => {
        held.delete(ctx);
        for (const t of mine) locks.drop(t);
      });
    }
    // Forget holds that ended since (released, maybe through another context), so the set stays
    // as small as what the caller holds now.
    for (const t of tokens) if (!locks.isOutstanding(t)) tokens.delete(t);
    tokens.add(token);
  };
}

export function registerLockServices(registry: ServiceRegistry, locks: GlobalLocks = new GlobalLocks()): GlobalLocks {
  const holdUntilEnd = dropAtEnd(locks);
  registry.register('lock.acquire', async (args, ctx) => {
    const { token, granted } = locks.acquire(checkLockIndex(args.index), ownerOf(ctx));
    holdUntilEnd(ctx, token);
    await granted;
    return null;
  });
  registry.register('lock.try', async (args, ctx) => {
    const token = locks.tryAcquire(checkLockIndex(args.index), ownerOf(ctx));
    if (token === null) return false;
    holdUntilEnd(ctx, token);
    return true;
  });
  registry.register('lock.release', async (args, ctx) => {
    locks.releaseIf(checkLockIndex(args.index), isCaller(ctx));
    return null;
  });
  return locks;
}
