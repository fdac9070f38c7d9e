/**
 * @module pipeline/request-sync — the mutable request fields Node and Python share, with change
 * tracking: every write bumps a generation, and each PythonRequest remembers the generation it
 * last saw, so a phase call carries only what changed since (PhaseCall.sync).
 */
import type { Stats } from 'node:fs';
import type { RequestSync } from '../workers/types.js';

export type SyncKey = keyof RequestSync;

/** `headersIn`: the request's headers as they arrived (what the worker starts from, via the head). */
export function initialSync(uri: string, args: string | null, headersIn: [string, string][]): RequestSync {
  return {
    uri,
    args,
    filename: null,
    canonical_filename: null,
    path_info: null,
    used_path_info: 2, // AP_REQ_DEFAULT_PATH_INFO
    handler: null,
    content_type: null,
    content_encoding: null,
    content_languages: [],
    status: 200,
    status_line: null,
    user: null,
    ap_auth_type: null,
    no_cache: 0,
    no_local_copy: 0,
    mtime: 0,
    clength: 0,
    finfo: null,
    allowed_methods: [],
    allowed_methods_reset: false,
    headers_in: headersIn,
    headers_out: [],
    err_headers_out: [],
    subprocess_env: [],
    notes: [],
    auth_type: null,
    auth_name: null,
    requires: [],
    config: {},
    options: {},
    output_filters: [],
    input_filters: [],
  };
}

/** Tracks which fields changed at which generation. */
export class SyncTracker {
  readonly state: RequestSync;
  #gen = 0;
  readonly #changedAt = new Map<SyncKey, number>();

  /** `state` starts as Python's own defaults (initialSync mirrors the worker's, uri/args come
   *  from RequestHead.parsed_uri), so nothing needs sending until Node changes a field. */
  constructor(state: RequestSync) {
    this.state = state;
  }

  get generation(): number {
    return this.#gen;
  }

  set<K extends SyncKey>(key: K, value: RequestSync[K]): void {
    // Unchanged scalars — and the same frozen object (per-directory tables), which cannot have
    // changed in place — cost nothing on the wire.
    if (this.state[key] === value && (value === null || typeof value !== 'object' || Object.isFrozen(value))) return;
    this.state[key] = value;
    this.#changedAt.set(key, ++this.#gen);
  }

  /** Marks a field changed after an in-place mutation (e.g. pushing to headers_out). */
  touch(key: SyncKey): void {
    this.#changedAt.set(key, ++this.#gen);
  }

  /** The fields changed after generation `since`. */
  diff(since: number): Partial<RequestSync> {
    const out: Partial<Record<SyncKey, unknown>> = {};
    for (const [k, g] of this.#changedAt) if (g > since) out[k] = this.state[k];
    return out as Partial<RequestSync>;
  }

  /** Applies what Python changed; returns the generation the caller has now seen. */
  apply(changes: Partial<RequestSync>): number {
    for (const k of Object.keys(changes) as SyncKey[]) {
      const v = changes[k];
      if (v === undefined) continue;
      (this.state as unknown as Record<string, unknown>)[k] = v;
      this.#changedAt.set(k, ++this.#gen);
    }
    return this.#gen;
  }
}

/** APR file types (req.finfo[FINFO_FILETYPE]). */
function fileType(st: Stats): number {
  if (st.isFile()) return 1;
  if (st.isDirectory()) return 2;
  if (st.isCharacterDevice()) return 3;
  if (st.isBlockDevice()) return 4;
  if (st.isFIFO()) return 5;
  if (st.isSymbolicLink()) return 6;
  if (st.isSocket()) return 7;
  return 127;
}

/** mod_python's finfo tuple: mode, ino, dev, nlink, uid, gid, size, atime, mtime, ctime, fname, name, filetype. */
export function finfoTuple(st: Stats | null, fname: string | null): (number | string | null)[] | null {
  if (!st) return fname === null ? null : [null, null, null, null, null, null, null, null, null, null, fname, null, 0];
  return [
    st.mode & 0o7777,
    st.ino,
    st.dev,
    st.nlink,
    st.uid,
    st.gid,
    st.size,
    Math.floor(st.atimeMs / 1000),
    Math.floor(st.mtimeMs / 1000),
    Math.floor(st.ctimeMs / 1000),
    fname,
    null,
    fileType(st),
  ];
}
