/**
 * @module services/redis-store — RedisSession's store: records in redis under
 * `<prefix><sid>` with a TTL, so redis itself drops expired sessions. ioredis is an optional
 * dependency, loaded on first use; failures become MPY_ERR_SESSION_REDIS (503).
 */
import type { Redis as RedisClient } from 'ioredis';
import { createError } from '../errors.js';
import type { SessionStore } from './session-store.js';

export interface RedisStoreOptions {
  /** redis://[user:password@]host:port/db */
  url: string;
  /** Key prefix. @default "modpy:session:" */
  prefix?: string;
  /** Give up connecting after this long. @default 2000 */
  connectTimeoutMs?: number;
}

export class RedisSessionStore implements SessionStore {
  readonly #url: string;
  readonly #prefix: string;
  readonly #connectTimeoutMs: number;
  #client: Promise<RedisClient> | null = null;

  constructor(opts: RedisStoreOptions) {
    this.#url = opts.url;
    this.#prefix = opts.prefix ?? 'modpy:session:';
    this.#connectTimeoutMs = opts.connectTimeoutMs ?? 2000;
  }

  async load(sid: string): Promise<string | null> {
    return this.#run((r) => r.get(this.#prefix + sid));
  }

  async save(sid: string, data: string, timeoutSec: number): Promise<void> {
    if (timeoutSec <= 0) {
      await this.delete(sid); // expired as soon as saved (redis refuses EX 0)
      return;
    }
    await this.#run((r) => r.set(this.#prefix + sid, data, 'EX', Math.ceil(timeoutSec)));
  }

  async delete(sid: string): Promise<void> {
    await this.#run((r) => r.del(this.#prefix + sid));
  }

  /** Redis expires keys itself (TTL set on every save): nothing to sweep. */
  async cleanup(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {
    const pending = this.#client;
    this.#client = null;
    if (!pending) return;
    try {
      const client = await pending;
      await client.quit();
    } catch {
      // Never connected (or already gone): nothing to close.
    }
  }

  async #run<T>(op: (client: RedisClient) => Promise<T>): Promise<T> {
    try {
      return await op(await this.#connect());
    } catch (err) {
      if (err instanceof Error && 'code' in err && String(err.code).startsWith('MPY_ERR_')) throw err;
      throw createError('SESSION_REDIS', redactUrl(this.#url), err instanceof Error ? err.message : String(err));
    }
  }

  #connect(): Promise<RedisClient> {
    this.#client ??= openClient(this.#url, this.#connectTimeoutMs).catch((err: unknown) => {
      this.#client = null; // try again on the next call: redis may come back
      throw err;
    });
    return this.#client;
  }
}

async function openClient(url: string, connectTimeout: number): Promise<RedisClient> {
  let Redis: typeof import('ioredis').Redis;
  try {
    ({ Redis } = await import('ioredis'));
  } catch {
    throw createError('SESSION_REDIS', redactUrl(url), 'the ioredis package is not installed');
  }
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout,
    maxRetriesPerRequest: 1,
    // Reconnect quickly but boundedly: a request must not hang on a dead redis.
    retryStrategy: (times) => (times > 3 ? null : Math.min(times * 100, 500)),
  });
  client.on('error', () => {
    // Reported through the failing command; without a listener ioredis prints to stderr.
  });
  try {
    await client.connect();
  } catch (err) {
    client.disconnect();
    throw err;
  }
  return client;
}

/** The URL without its password, for messages. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
