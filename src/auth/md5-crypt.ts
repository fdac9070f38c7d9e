/**
 * @module auth/md5-crypt — MD5-crypt (Poul-Henning Kamp's algorithm), which Apache's htpasswd
 * writes as "$apr1$salt$digest" and glibc's crypt(3) as "$1$salt$digest". Only the magic differs.
 */
import { createHash } from 'node:crypto';
import { crypt64, crypt64Groups } from './crypt-base64.js';

const GROUPS = [
  [0, 6, 12, 4],
  [1, 7, 13, 4],
  [2, 8, 14, 4],
  [3, 9, 15, 4],
  [4, 10, 5, 4],
] as const;

function md5(...parts: Buffer[]): Buffer {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
}

/**
 * Computes the full "$magic$salt$digest" string for `password`.
 * @param magic "$apr1$" or "$1$"
 * @param salt up to 8 characters (anything after is ignored, as the algorithm does)
 */
export function md5Crypt(password: Buffer, salt: string, magic: '$apr1$' | '$1$'): string {
  const s = Buffer.from(salt.split('$')[0]?.slice(0, 8) ?? '', 'latin1');
  const m = Buffer.from(magic, 'latin1');
  const alternate = md5(password, s, password);

  const ctx = createHash('md5');
  ctx.update(password);
  ctx.update(m);
  ctx.update(s);
  for (let left = password.length; left > 0; left -= 16) ctx.update(alternate.subarray(0, Math.min(left, 16)));
  // The bits of the length pick, per bit, a NUL byte or the password's first byte.
  const first = password.subarray(0, 1);
  for (let i = password.length; i > 0; i >>= 1) ctx.update(i & 1 ? Buffer.alloc(1) : first);
  let digest = ctx.digest();

  // 1000 rounds, deliberately slow.
  for (let i = 0; i < 1000; i++) {
    const round = createHash('md5');
    round.update(i & 1 ? password : digest);
    if (i % 3) round.update(s);
    if (i % 7) round.update(password);
    round.update(i & 1 ? digest : password);
    digest = round.digest();
  }
  const encoded = crypt64Groups(digest, GROUPS) + crypt64(0, 0, digest[11] as number, 2);
  return `${magic}${s.toString('latin1')}$${encoded}`;
}
