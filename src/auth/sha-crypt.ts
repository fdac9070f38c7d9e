/**
 * @module auth/sha-crypt — SHA-256-crypt ("$5$") and SHA-512-crypt ("$6$") after Ulrich
 * Drepper's specification, as htpasswd -2 / -5 write them and glibc/libxcrypt verify them.
 */
import { createHash } from 'node:crypto';
import { crypt64Groups } from './crypt-base64.js';

type Group = readonly [number, number, number, number];

const SHA256_GROUPS: readonly Group[] = [
  [0, 10, 20, 4],
  [21, 1, 11, 4],
  [12, 22, 2, 4],
  [3, 13, 23, 4],
  [24, 4, 14, 4],
  [15, 25, 5, 4],
  [6, 16, 26, 4],
  [27, 7, 17, 4],
  [18, 28, 8, 4],
  [9, 19, 29, 4],
  [-1, 31, 30, 3],
];

/** SHA-512's 64 bytes in triples of i, i+21, i+42 (rotated so byte i moves along), then byte 63. */
const SHA512_GROUPS: readonly Group[] = [
  ...Array.from({ length: 21 }, (_, i): Group => {
    const t = [i, i + 21, i + 42];
    const r = i % 3; // the triple rotates left by one each step
    return [t[r] as number, t[(r + 1) % 3] as number, t[(r + 2) % 3] as number, 4];
  }),
  [-1, -1, 63, 2],
];

const DEFAULT_ROUNDS = 5000;
const MIN_ROUNDS = 1000;
const MAX_ROUNDS = 999_999_999;

/** Repeats `block` cyclically to exactly `length` bytes. */
function stretch(block: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i += block.length) block.copy(out, i, 0, Math.min(block.length, length - i));
  return out;
}

/**
 * Recomputes a "$5$…" or "$6$…" hash for `password` from the settings in `hash` (rounds, salt).
 * Returns null when the settings are malformed or the rounds are out of range (libxcrypt refuses
 * those too, so they can never verify).
 */
export function shaCrypt(password: Buffer, hash: string): string | null {
  const m = /^\$([56])\$(?:rounds=(\d+)\$)?([^$]{0,16})[^$]*(?:\$|$)/.exec(hash);
  if (!m) return null;
  const [, kind, roundsText, saltText] = m as unknown as [string, '5' | '6', string | undefined, string];
  const rounds = roundsText === undefined ? DEFAULT_ROUNDS : Number(roundsText);
  if (rounds < MIN_ROUNDS || rounds > MAX_ROUNDS) return null;
  const algorithm = kind === '5' ? 'sha256' : 'sha512';
  const H = (...parts: Buffer[]): Buffer => {
    const h = createHash(algorithm);
    for (const p of parts) h.update(p);
    return h.digest();
  };
  const salt = Buffer.from(saltText, 'latin1');

  const b = H(password, salt, password);
  const ctx = createHash(algorithm);
  ctx.update(password);
  ctx.update(salt);
  ctx.update(stretch(b, password.length));
  for (let i = password.length; i > 0; i >>= 1) ctx.update(i & 1 ? b : password);
  const a = ctx.digest();

  const p = stretch(H(...Array<Buffer>(password.length).fill(password)), password.length);
  const s = stretch(H(...Array<Buffer>(16 + (a[0] as number)).fill(salt)), salt.length);

  let c = a;
  for (let r = 0; r < rounds; r++) {
    const round = createHash(algorithm);
    round.update(r & 1 ? p : c);
    if (r % 3) round.update(s);
    if (r % 7) round.update(p);
    round.update(r & 1 ? c : p);
    c = round.digest();
  }
  const encoded = crypt64Groups(c, kind === '5' ? SHA256_GROUPS : SHA512_GROUPS);
  const settings = roundsText === undefined ? '' : `rounds=${rounds}$`;
  return `$${kind}$${settings}${saltText}$${encoded}`;
}
