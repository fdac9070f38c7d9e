/**
 * @module pipeline/request-sync — the mutable request fields Node and Python share, with change
 * tracking: every write bumps a generation, and each PythonRequest remembers the generation it
 * last saw, so a phase call carries only what changed since (PhaseCall.sync).
 */
import type { Stats } from 'node:fs';
import type { RequestSync, WorkerSync } from '../workers/types.js';

export type SyncKey = keyof RequestSync;

/**
 * subprocess_env as the worker packs it when it filled an empty table (add_cgi_vars,
 * build_wsgi_env: ~30 CGI variables on every WSGI request): `[names, values]`, each joined by
 * '\n', which the worker made sure no name or value contains. Unpacked at once, so nothing that
 * reads subprocess_env later (SetEnvIf, Header env=, the access log's %{VAR}e, REDIRECT_*)
 * can tell it from the pairs.
 */
export function unpackEnv(packed: unknown): [string, string][] {
  if (!Array.isArray(packed) || packed.length !== 2 || typeof packed[0] !== 'string' || typeof packed[1] !== 'string') {
    throw new Error(`malformed subprocess_env_packed from the worker: ${JSON.stringify(packed)}`);
  }
  const names = packed[0].split('\n');
  const values = packed[1].split('\n');
  if (names.length !== values.length) throw new Error(`subprocess_env_packed has ${names.length} names and ${values.length} values`);
  const pairs = new Array<[string, string]>(names.length);
  for (let i = 0; i < names.length; i++) pairs[i] = [names[i]!, values[i]!];
  return pairs;
}

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
  apply(changes: WorkerSync): number {
    for (const k of Object.keys(changes) as SyncKey[]) {
      const v = changes[k];
      if (v === undefined || (k as string) === 'subprocess_env_packed') continue;
      (this.state as unknown as Record<string, unknown>)[k] = v;
      this.#changedAt.set(k, ++this.#gen);
    }
    // The whole table, when Python changed it after packing it in the same phase, wins.
    const packed = changes.subprocess_env_packed;
    if (packed !== undefined && changes.subprocess_env === undefined) {
      this.state.subprocess_env = unpackEnv(packed);
      this.#changedAt.set('subprocess_env', ++this.#gen);
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
