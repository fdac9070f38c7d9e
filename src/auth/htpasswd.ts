/**
 * @module auth/htpasswd — checks passwords against htpasswd files as mod_authn_file does:
 * bcrypt ($2y$/$2a$/$2b$), Apache MD5 ($apr1$), {SHA}, and crypt(3) forms (DES, $1$, $5$, $6$).
 * Plain-text entries are refused: Apache accepts them only on Windows and NetWare.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import bcrypt from 'bcryptjs';
import { createError } from '../errors.js';
import { md5Crypt } from './md5-crypt.js';
import { shaCrypt } from './sha-crypt.js';
import { VerifiedCache } from './verified-cache.js';

const require = createRequire(import.meta.url);
const unixCrypt = require('unix-crypt-td-js') as (password: string, salt: string) => string;

const DES_HASH = /^[./0-9A-Za-z]{13}$/;

/** Compares in time independent of where the strings differ. */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'latin1');
  const y = Buffer.from(b, 'latin1');
  if (x.length !== y.length) {
    timingSafeEqual(x, x); // spend comparable time, reveal only the length mismatch
    return false;
  }
  return timingSafeEqual(x, y);
}

/**
 * A password as bytes. A string is taken as text (UTF-8); pass a Buffer to check the exact bytes
 * a client sent (Basic credentials are bytes; Apache compares bytes).
 */
function passwordBytes(password: string | Buffer): Buffer {
  return typeof password === 'string' ? Buffer.from(password, 'utf8') : password;
}

/**
 * Verifies `password` against one htpasswd hash.
 * @example await verifyPassword('{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=', 'password') // true
 */
export async function verifyPassword(hash: string, password: string | Buffer): Promise<boolean> {
  const pw = passwordBytes(password);
  if (hash.startsWith('$2y$') || hash.startsWith('$2a$') || hash.startsWith('$2b$')) {
    // bcryptjs hashes a JS string as UTF-8, so bytes that are not UTF-8 cannot be expressed.
    const text = pw.toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(pw)) return false;
    // bcryptjs knows $2a$/$2b$; $2y$ (PHP/Apache's name for the fixed variant) is the same algorithm.
    return bcrypt.compare(text, hash.startsWith('$2y$') ? `$2b$${hash.slice(4)}` : hash);
  }
  if (hash.startsWith('$apr1$')) return sameText(md5Crypt(pw, hash.slice(6), '$apr1$'), hash);
  if (hash.startsWith('$1$')) return sameText(md5Crypt(pw, hash.slice(3), '$1$'), hash);
  if (hash.startsWith('$5$') || hash.startsWith('$6$')) {
    const computed = shaCrypt(pw, hash);
    return computed !== null && sameText(computed, hash);
  }
  if (hash.startsWith('{SHA}')) {
    return sameText(`{SHA}${createHash('sha1').update(pw).digest('base64')}`, hash);
  }
  if (DES_HASH.test(hash)) {
    // Traditional crypt uses the first 8 bytes, 7 bits each; the library reads char codes.
    return sameText(unixCrypt(pw.subarray(0, 8).toString('latin1'), hash.slice(0, 2)), hash);
  }
  return false; // plain text or an unknown scheme: never a match
}

interface CacheSlot {
  mtimeMs: number;
  size: number;
  file: Promise<HtpasswdFile>;
}

const byPath = new Map<string, CacheSlot>();

/** One parsed htpasswd file. Lines: "user:hash[:ignored]"; '#' comments and blanks skipped. */
export class HtpasswdFile {
  private readonly verified = new VerifiedCache();

  private constructor(
    readonly path: string,
    private readonly hashes: ReadonlyMap<string, string>,
  ) {}

  /**
   * Loads `path`, re-reading it only when its mtime or size changed.
   * @throws MPY_ERR_AUTH_USER_FILE when the file cannot be read
   */
  static async load(path: string): Promise<HtpasswdFile> {
    let stat;
    try {
      stat = await fs.stat(path);
    } catch (err) {
      byPath.delete(path);
      throw createError('AUTH_USER_FILE', `${path}: ${(err as Error).message}`);
    }
    const slot = byPath.get(path);
    if (slot && slot.mtimeMs === stat.mtimeMs && slot.size === stat.size) return slot.file;
    const file = fs.readFile(path, 'latin1').then(
      (text) => new HtpasswdFile(path, HtpasswdFile.parse(text)),
      (err: Error) => {
        byPath.delete(path);
        throw createError('AUTH_USER_FILE', `${path}: ${err.message}`);
      },
    );
    byPath.set(path, { mtimeMs: stat.mtimeMs, size: stat.size, file });
    return file;
  }

  /** Parses the text; the first line for a user wins, as mod_authn_file stops at the first match. */
  static parse(text: string): Map<string, string> {
    const hashes = new Map<string, string>();
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const user = line.slice(0, colon);
      const hash = line.slice(colon + 1).split(':')[0] as string;
      if (!hashes.has(user)) hashes.set(user, hash);
    }
    return hashes;
  }

  has(user: string): boolean {
    return this.hashes.has(user);
  }

  /** True when `user` exists and `password` matches. Pass a Buffer for raw client bytes. */
  async check(user: string, password: string | Buffer): Promise<boolean> {
    const hash = this.hashes.get(user);
    if (hash === undefined) return false;
    const pw = passwordBytes(password);
    if (this.verified.has(hash, pw)) return true;
    const ok = await verifyPassword(hash, pw);
    if (ok) this.verified.add(hash, pw);
    return ok;
  }
}
