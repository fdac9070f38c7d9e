/**
 * @module static/file-cache — the bytes of small static files, kept in memory and keyed by path,
 * valid while the file's identity and times are those of the stat the path walk just made
 * (inode, size, mtime, ctime). A request therefore costs one stat (the walk's, which Apache
 * makes too) and no open/read/close; a changed file is re-read on its next request.
 *
 * Reads are synchronous: for a file of at most `maxFileBytes` on a local disk, open + read +
 * close take a few microseconds of kernel time, far less than the stream machinery of an
 * asynchronous read costs the main thread. Bigger files are not cached (the caller streams them).
 */
import { closeSync, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { exactEtag } from './etag.js';

export interface CachedFile {
  readonly body: Buffer;
  /** Apache's ETag and the Last-Modified date, computed once per version of the file. */
  readonly etag: string;
  readonly lastModified: string;
}

interface Entry extends CachedFile {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

function sameVersion(e: Entry, st: Stats): boolean {
  return e.ino === st.ino && e.size === st.size && e.mtimeMs === st.mtimeMs && e.ctimeMs === st.ctimeMs;
}

export class SmallFileCache {
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(
    readonly maxFileBytes: number,
    readonly maxTotalBytes: number,
  ) {}

  /** Bytes held, for tests and diagnostics. */
  get size(): number {
    return this.#bytes;
  }

  /**
   * The file at `path` as `st` describes it, or null when it is too big, cannot be read, or
   * changed between the stat and the read (the caller then serves it the slow way).
   */
  get(path: string, st: Stats): CachedFile | null {
    if (st.size > this.maxFileBytes || !st.isFile()) return null;
    const hit = this.#entries.get(path);
    if (hit) {
      this.#entries.delete(path); // re-inserted below: Map order is the LRU order
      if (sameVersion(hit, st)) {
        this.#entries.set(path, hit);
        return hit;
      }
      this.#bytes -= hit.size;
    }
    const entry = readExactly(path, st);
    if (!entry) return null;
    this.#entries.set(path, entry);
    this.#bytes += entry.size;
    this.#evict();
    return entry;
  }

  #evict(): void {
    for (const [path, e] of this.#entries) {
      if (this.#bytes <= this.maxTotalBytes) return;
      this.#entries.delete(path);
      this.#bytes -= e.size;
    }
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }
}

/** Reads the whole file if it is still the version `st` describes. */
function readExactly(path: string, st: Stats): Entry | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const now = fstatSync(fd);
    if (now.ino !== st.ino || now.size !== st.size || now.mtimeMs !== st.mtimeMs || now.ctimeMs !== st.ctimeMs) return null;
    const body = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < body.length) {
      const n = readSync(fd, body, off, body.length - off, off);
      if (n === 0) return null; // shrank under us: not the version that was stat'ed
      off += n;
    }
    return { body, etag: exactEtag(fd, st), lastModified: st.mtime.toUTCString(), ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs };
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
