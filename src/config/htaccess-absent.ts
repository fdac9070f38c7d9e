/**
 * @module config/htaccess-absent — remembers, briefly, where an .htaccess file was not found.
 * Most directories have none; without this, every request would stat each of them (httpd does).
 * The price is documented with AccessFileName: a new file is noticed within ABSENT_TTL_MS.
 */

/** How long a missing .htaccess is trusted to stay missing. */
export const ABSENT_TTL_MS = 1000;
/** Entries kept at most; past it the memory starts afresh (a stat each is all that costs). */
const LIMIT = 4096;

const absentUntil = new Map<string, number>();

/** True when `path` was found missing less than ABSENT_TTL_MS before `now`. */
export function knownAbsent(path: string, now: number): boolean {
  const until = absentUntil.get(path);
  return until !== undefined && until > now;
}

export function rememberAbsent(path: string, now: number): void {
  if (absentUntil.size >= LIMIT) absentUntil.clear();
  absentUntil.set(path, now + ABSENT_TTL_MS);
}

export function forgetAbsent(path: string): void {
  absentUntil.delete(path);
}
