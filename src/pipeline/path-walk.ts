/**
 * @module pipeline/path-walk — Apache's directory walk for a translated filename: find the
 * longest existing prefix; what follows a regular file becomes path_info; a missing component
 * ends the filename ("/docroot/missing" + path_info "/rest"). Also the FollowSymLinks check.
 * One stat for the common case (the file exists), shared by the requests of one event-loop
 * turn (turnStats).
 *
 * The stats are synchronous on purpose, as Apache's are: a stat of a local path costs a few
 * microseconds in the kernel, while the libuv thread-pool round trip of fs.promises.stat cost
 * the main thread far more (promise, callback, wake-up) — it was the largest item of a static
 * request's profile. `throwIfNoEntry: false` keeps a missing path free of exceptions.
 */
import { lstatSync, statSync, type Stats } from 'node:fs';

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
function statOrNull(read: typeof statSync, p: string): Stats | null {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return read(p, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null; // ENOTDIR, EACCES, ENAMETOOLONG…: as good as missing for the walk
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * stat(2) results shared by the requests handled in one turn of the event loop, forgotten when
 * it ends (setImmediate runs after the turn's I/O callbacks). Under load one turn handles many
 * requests for the same few files, and the stat was the largest item of a static request's
 * profile (~4 µs of ~27). Every stat of a turn happens after its epoll_wait returned, and what
 * the turn handles — a client's request, a worker's message — was ready by then (except bytes
 * that arrive during the turn itself, microseconds later), so a change made before it was sent
 * is seen; what is shared is what a request a few microseconds earlier would have seen. Each
 * new turn asks the filesystem again, as Apache asks for each request.
 */
const turnStats = new Map<string, Stats | null>();
let turnStatsClearing = false;

function forgetTurnStats(): void {
  turnStats.clear();
  turnStatsClearing = false;
}

/** stat(2) of `p`, null when it cannot be stat'ed (missing, not a directory, no permission).
 *  Shared within one event-loop turn (see turnStats). */
export function tryStat(p: string): Stats | null {
  const known = turnStats.get(p);
  if (known !== undefined) return known;
  const st = statOrNull(statSync, p);
  turnStats.set(p, st);
  if (!turnStatsClearing) {
    turnStatsClearing = true;
    setImmediate(forgetTurnStats);
  }
  return st;
}

/**
 * Regular files that had path_info below them on an earlier request (a publisher's
 * /site/app.py for /app.py/func/123). Their URLs' full filenames make stat throw ENOTDIR, and
 * even without its stack trace a throw costs more than the stat (V8 rebuilds the optimized
 * frames to find the handler: a publisher URL's walk 7.6 → 3.3 µs without it). So a filename
 * below a remembered file stats that file first: still a regular file, nothing can exist below
 * it, and the rest is path_info; anything else, and the walk runs as for any filename. Keyed by
 * file, not by URL, so path_info that changes with every request adds nothing here, and the
 * filesystem is still asked on every request.
 */
const filesWithPathInfo = new Set<string>();
const FILES_WITH_PATH_INFO_LIMIT = 4096;

function rememberFileWithPathInfo(p: string): void {
  if (filesWithPathInfo.size >= FILES_WITH_PATH_INFO_LIMIT) filesWithPathInfo.clear();
  filesWithPathInfo.add(p);
}

/** The remembered file `filename` runs below, when it still is a regular file. */
function knownFileAbove(filename: string, floor: number): WalkResult | null {
  if (filesWithPathInfo.size === 0) return null;
  for (let slash = filename.indexOf('/', floor + 1); slash > 0; slash = filename.indexOf('/', slash + 1)) {
    const prefix = filename.slice(0, slash);
    if (!filesWithPathInfo.has(prefix)) continue;
    const st = tryStat(prefix);
    if (st?.isFile()) return { filename: prefix, pathInfo: filename.slice(slash), stats: st };
    filesWithPathInfo.delete(prefix); // gone, or a directory now: walk as usual
    return null;
  }
  return null;
}

/** Walks `filename` below `base` (never above it). */
export function walkPath(filename: string, base: string): WalkResult {
  const floor = base.length;
  const known = knownFileAbove(filename, floor);
  if (known) return known;
  const direct = tryStat(filename);
  if (direct) return { filename, pathInfo: '', stats: direct };
  let cut = filename.length;
  // Move the cut left one component at a time until the prefix exists.
  for (;;) {
    const slash = filename.lastIndexOf('/', cut - 1);
    if (slash < floor || slash <= 0) break;
    const prefix = filename.slice(0, slash);
    const st = tryStat(prefix);
    if (st) {
      if (st.isDirectory()) {
        // The first missing component is the filename; the rest is path_info.
        const next = filename.indexOf('/', slash + 1);
        if (next < 0) return { filename, pathInfo: '', stats: null };
        return { filename: filename.slice(0, next), pathInfo: filename.slice(next), stats: null };
      }
      if (st.isFile()) rememberFileWithPathInfo(prefix);
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
