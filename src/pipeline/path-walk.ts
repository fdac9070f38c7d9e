/**
 * @module pipeline/path-walk — Apache's directory walk for a translated filename: find the
 * longest existing prefix; what follows a regular file becomes path_info; a missing component
 * ends the filename ("/docroot/missing" + path_info "/rest"). Also the FollowSymLinks check.
 * One stat for the common case (the file exists).
 *
 * The stats are synchronous on purpose, as Apache's are: a stat of a local path costs a few
 * microseconds in the kernel, while the libuv thread-pool round trip of fs.promises.stat cost
 * the main thread far more (promise, callback, wake-up) — it was the largest item of a static
 * request's profile. `throwIfNoEntry: false` keeps a missing path free of exceptions.
 */
import { existsSync, lstatSync, statSync, type Stats } from 'node:fs';

export interface WalkResult {
  filename: string;
  pathInfo: string;
  stats: Stats | null; // null: the filename does not exist
}

/**
 * `read(p)`, null when `p` cannot be read (missing, not a directory, no permission…). Node 20
 * throws for ENOTDIR even with throwIfNoEntry: false, and every URL with path_info
 * (/app.py/func) meets ENOTDIR first. The error is thrown away, so it is made without a stack
 * trace: capturing one was most of the cost of a publisher request's walk.
 */
function statOrNull(read: typeof statSync, p: string, onThrow?: (p: string) => void): Stats | null {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return read(p, { throwIfNoEntry: false }) ?? null;
  } catch {
    onThrow?.(p);
    return null; // ENOTDIR, EACCES, ENAMETOOLONG…: as good as missing for the walk
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** stat(2) of `p`, null when it cannot be stat'ed (missing, not a directory, no permission). */
export function tryStat(p: string): Stats | null {
  return statOrNull(statSync, p);
}

/**
 * Filenames whose stat threw on an earlier request. Even without its stack trace, a throw costs
 * more than the stat itself (V8 rebuilds the optimized frames to find the handler), so for these
 * existsSync, which answers without an exception, is asked first: a publisher URL's walk went
 * 7.6 → 3.3 µs. The filesystem is still consulted on every request: a file that appears is found at once.
 */
const threwBefore = new Set<string>();
const THREW_BEFORE_LIMIT = 4096;

function rememberThrow(p: string): void {
  if (threwBefore.size >= THREW_BEFORE_LIMIT) threwBefore.clear();
  threwBefore.add(p);
}

function statWalked(filename: string): Stats | null {
  if (threwBefore.has(filename) && !existsSync(filename)) return null;
  return statOrNull(statSync, filename, rememberThrow);
}

/** Walks `filename` below `base` (never above it). */
export function walkPath(filename: string, base: string): WalkResult {
  const direct = statWalked(filename);
  if (direct) return { filename, pathInfo: '', stats: direct };
  const floor = base.length;
  let cut = filename.length;
  // Move the cut left one component at a time until the prefix exists.
  for (;;) {
    const slash = filename.lastIndexOf('/', cut - 1);
    if (slash < floor || slash <= 0) break;
    const prefix = filename.slice(0, slash);
    const st = statWalked(prefix);
    if (st) {
      if (st.isDirectory()) {
        // The first missing component is the filename; the rest is path_info.
        const next = filename.indexOf('/', slash + 1);
        if (next < 0) return { filename, pathInfo: '', stats: null };
        return { filename: filename.slice(0, next), pathInfo: filename.slice(next), stats: null };
      }
      return { filename: prefix, pathInfo: filename.slice(slash), stats: st };
    }
    cut = slash;
  }
  return { filename, pathInfo: '', stats: null };
}

export interface SymlinkPolicy {
  followSymLinks: boolean;
  symLinksIfOwnerMatch: boolean;
}

/** lstat(2) of `p`, null when it cannot be read (missing, no permission…). */
function tryLstat(p: string): Stats | null {
  return statOrNull(lstatSync, p);
}

/** False when a component below `base` is a symlink the options refuse (Apache's AH00037). */
export function symlinksAllowed(filename: string, base: string, policy: SymlinkPolicy): boolean {
  if (policy.followSymLinks) return true;
  let i = base.length;
  while (i < filename.length) {
    let next = filename.indexOf('/', i + 1);
    if (next < 0) next = filename.length;
    const part = filename.slice(0, next);
    i = next;
    if (part.length <= base.length) continue;
    const ls = tryLstat(part);
    if (!ls) return true; // missing components are not links; the caller reports the 404
    if (!ls.isSymbolicLink()) continue;
    if (!policy.symLinksIfOwnerMatch) return false;
    const target = tryStat(part);
    if (!target || target.uid !== ls.uid) return false;
  }
  return true;
}
