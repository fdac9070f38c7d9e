/**
 * @module auth/verified-cache — remembers recent *successful* password checks for a short time,
 * like mod_authn_socache, because bcrypt in JavaScript costs tens of milliseconds per request.
 * Keys are HMACs under a per-process random key, so the cache never holds a password or a value
 * that could be checked offline; a changed hash (new htpasswd line) is a different key.
 */
import { createHmac, randomBytes } from 'node:crypto';

const SECRET = randomBytes(32);

export class VerifiedCache {
  private readonly entries = new Map<string, number>(); // key → expiry (ms), in insertion order

  constructor(
    private readonly maxEntries = 1024,
    private readonly ttlMs = 300_000,
  ) {}

  private key(hash: string, password: Buffer): string {
    return createHmac('sha256', SECRET).update(hash).update('\0').update(password).digest('base64');
  }

  has(hash: string, password: Buffer, now = Date.now()): boolean {
    const k = this.key(hash, password);
    const expiry = this.entries.get(k);
    if (expiry === undefined) return false;
    if (expiry <= now) {
      this.entries.delete(k);
      return false;
    }
    return true;
  }

  add(hash: string, password: Buffer, now = Date.now()): void {
    const k = this.key(hash, password);
    this.entries.delete(k);
    this.entries.set(k, now + this.ttlMs);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
