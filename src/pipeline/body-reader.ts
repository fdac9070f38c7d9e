/**
 * @module pipeline/body-reader — the request body as Python reads it (req.read): pulled from the
 * Node stream on demand (so an unread body costs nothing), bounded by LimitRequestBody (413),
 * a chunked body refused with 411 as mod_python's REQUEST_CHUNKED_ERROR does, and each wait
 * bounded by Timeout (408).
 */
import type { IncomingMessage } from 'node:http';
import { createError } from '../errors.js';
import { noteReadBytes } from '../read-buffer-gc.js';

/** What the reader needs of a request record: its LimitRequestBody (0 or unset: unlimited). */
interface LimitSource {
  readonly dir: { readonly limitRequestBody?: number };
}

export class BodyReader {
  #pending: Buffer | null = null;
  #received = 0;
  #error: Error | null = null;

  constructor(
    private readonly req: IncomingMessage,
    /** The exchange's internal-redirect chain: the last record is the request reading the
     *  body, and its per-dir LimitRequestBody applies (Apache's HTTP_IN filter follows the
     *  redirect to the new request_rec). */
    private readonly chain: readonly LimitSource[],
    private readonly timeoutMs: number,
  ) {
    // Kept so a socket error is reported to the next read, and never unhandled.
    req.once('error', (e) => {
      this.#error = e;
    });
  }

  #limit(): number {
    return this.chain.at(-1)?.dir.limitRequestBody ?? 0;
  }

  /** Checks Content-Length / chunked before the first read, as ap_setup_client_block does. */
  #precheck(): void {
    const te = this.req.headers['transfer-encoding'];
    if (te !== undefined && /chunked/i.test(te)) throw createError('HTTP_LENGTH_REQUIRED', this.req.method ?? 'GET');
    const cl = Number(this.req.headers['content-length'] ?? 0);
    const limit = this.#limit();
    if (limit > 0 && cl > limit) throw createError('HTTP_BODY_TOO_LARGE', cl, limit);
  }

  /** Next piece of the body (at most `max` bytes); null at the end. */
  async read(max: number): Promise<Buffer | null> {
    if (this.#received === 0 && this.#pending === null) this.#precheck();
    if (this.#pending) return this.#take(this.#pending, max);
    const chunk = await this.#next();
    if (chunk === null) return null;
    this.#received += chunk.length;
    noteReadBytes(chunk.length);
    const limit = this.#limit();
    if (limit > 0 && this.#received > limit) throw createError('HTTP_BODY_TOO_LARGE', this.#received, limit);
    return this.#take(chunk, max);
  }

  #take(chunk: Buffer, max: number): Buffer {
    if (max > 0 && chunk.length > max) {
      this.#pending = chunk.subarray(max);
      return chunk.subarray(0, max);
    }
    this.#pending = null;
    return chunk;
  }

  #next(): Promise<Buffer | null> {
    if (this.#error) return Promise.reject(this.#error);
    const direct = this.req.read() as Buffer | null;
    if (direct !== null) return Promise.resolve(direct);
    if (this.req.readableEnded) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        this.req.off('readable', onReadable);
        this.req.off('end', onEnd);
        this.req.off('error', onError);
        this.req.off('close', onEnd);
      };
      const onReadable = () => {
        const c = this.req.read() as Buffer | null;
        if (c === null) {
          if (this.req.readableEnded) {
            cleanup();
            resolve(null);
          }
          return;
        }
        cleanup();
        resolve(c);
      };
      const onEnd = () => {
        cleanup();
        resolve(null);
      };
      const onError = (e: Error) => {
        cleanup();
        reject(e);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(createError('HTTP_BODY_TIMEOUT', Math.round(this.timeoutMs / 1000)));
      }, this.timeoutMs);
      this.req.on('readable', onReadable);
      this.req.once('end', onEnd);
      this.req.once('close', onEnd);
      this.req.once('error', onError);
    });
  }
}
