/**
 * @module auth/crypt-base64 — the "./0-9A-Za-z" little-endian base64 that crypt(3) hashes
 * (MD5-crypt, SHA-crypt) use for their digests; not RFC 4648 base64.
 */

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Encodes the 24-bit value (b2 << 16 | b1 << 8 | b0) as `n` characters, low bits first. */
export function crypt64(b2: number, b1: number, b0: number, n: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let out = '';
  for (let i = 0; i < n; i++) {
    out += ITOA64[w & 0x3f];
    w >>>= 6;
  }
  return out;
}

/** Encodes `digest` by a table of [b2, b1, b0, chars] byte-index groups. */
export function crypt64Groups(digest: Buffer, groups: readonly (readonly [number, number, number, number])[]): string {
  let out = '';
  for (const [b2, b1, b0, n] of groups) {
    // A negative index means "no byte here" (the short last group).
    out += crypt64(b2 < 0 ? 0 : (digest[b2] as number), b1 < 0 ? 0 : (digest[b1] as number), digest[b0] as number, n);
  }
  return out;
}
