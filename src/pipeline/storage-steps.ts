/**
 * @module pipeline/storage-steps — Apache's own work between the Python hooks that concerns the
 * URI and the file: URI decoding (400/404), the Location walk and mod_python's Location
 * short-cut, translate (Redirect/Alias/DocumentRoot), map-to-storage (path walk, per-dir config
 * with .htaccess, AcceptPathInfo, FollowSymLinks), type checking and the mod_alias fixup.
 */
import type { DirConfig, PythonFilterSpec } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { requireLines } from '../auth/require.js';
import { APLOG } from '../logs/log-level.js';
import { cachedDirConfig, dirConfigFor, locationConfigFor } from './config-api.js';
import { symlinksAllowed, walkPath, type WalkResult } from './path-walk.js';
import type { RequestRecord } from './request-record.js';
import { finfoTuple } from './request-sync.js';
import { matchRedirect, translateUri } from './translate.js';
import { addHandlerExts, inputFilterNames, mimeType, outputFilterNames, overrideType } from './type-check.js';
import { decodeRequestPath } from './uri-path.js';
import { applyDirEnv } from './env-fixup.js';
import { OK } from './hook-status.js';
import { applyRequestHeaders } from './request-headers.js';

/** True when the section config holds a mod_python handler from a <Location> (spec §3.8). */
function isPythonLocation(dir: DirConfig): boolean {
  if (!dir.fromLocation || !dir.pythonHandlers) return false;
  for (const k in dir.pythonHandlers) if ((dir.pythonHandlers[k]?.length ?? 0) > 0) return true;
  return false;
}

/** Decodes r->uri (after post-read-request) and applies the Location walk. */
export function decodeStep(rec: RequestRecord): number {
  const r = decodeRequestPath(rec.s.uri);
  if (!r.ok) {
    rec.log(r.info ? APLOG.INFO : APLOG.ERR, r.message);
    return r.status;
  }
  if (r.path !== rec.s.uri) rec.sync.set('uri', r.path);
  rec.dir = locationConfigFor(rec.server.conf, r.path);
  rec.locationShortcut = isPythonLocation(rec.dir);
  return OK;
}

/** translate_name after PythonTransHandler declined. */
export function translateStep(rec: RequestRecord): number {
  if (rec.locationShortcut) return OK;
  const srv = rec.server;
  const t = translateUri(
    { redirects: srv.conf.redirects, aliases: srv.conf.aliases, documentRoot: srv.documentRoot },
    rec.s.uri,
    rec.s.args,
    (p) => rec.absoluteUrl(p),
  );
  if (t.kind === 'redirect') {
    if (t.location) {
      rec.s.headers_out.push(['Location', t.location]);
      rec.sync.touch('headers_out');
    }
    return t.status;
  }
  rec.base = t.base;
  rec.scriptAliased = t.script === true;
  rec.sync.set('filename', t.filename);
  return OK;
}

/** Fields Python reads from the per-dir config. */
function syncDirFacts(rec: RequestRecord): void {
  const d = rec.dir;
  const s = rec.s;
  // Empty tables stay off the wire: the worker's defaults are empty too.
  // The merged tables are frozen: sent as they are, and not again while they stay the same.
  const config = d.pythonDirectives ?? EMPTY;
  if (!(isEmpty(config) && isEmpty(s.config))) rec.sync.set('config', config as Record<string, string>);
  const options = d.pythonOptions ?? EMPTY;
  if (!(isEmpty(options) && isEmpty(s.options))) rec.sync.set('options', options as Record<string, string>);
  rec.sync.set('auth_type', d.authType ?? null);
  rec.sync.set('auth_name', d.authName ?? null);
  const requires = d.require && d.require.length ? requireLines(d, rec.method) : [];
  if (requires.length || s.requires.length) rec.sync.set('requires', requires);
  const { specs, exts } = pythonFacts(d);
  if (specs.length || s.python_filters?.length) rec.sync.set('python_filters', specs);
  if (exts || s.addhandler_exts) rec.sync.set('addhandler_exts', exts);
}

/** What Python needs of a merged per-directory config beyond its tables, worked out once per
 *  (frozen, cached) config rather than per request. */
const factsCache = new WeakMap<DirConfig, { specs: PythonFilterSpec[]; exts: string }>();
function pythonFacts(d: DirConfig): { specs: PythonFilterSpec[]; exts: string } {
  let facts = factsCache.get(d);
  if (!facts) {
    // Python runs its own output through these; names match case-insensitively.
    const specs = Object.freeze([...Object.values(d.pythonOutputFilters ?? {}), ...Object.values(d.pythonInputFilters ?? {})]) as PythonFilterSpec[];
    facts = { specs, exts: addHandlerExts(d) };
    factsCache.set(d, facts);
  }
  return facts;
}

const EMPTY: Readonly<Record<string, string>> = Object.freeze({});

function isEmpty(o: Readonly<Record<string, string>>): boolean {
  for (const _ in o) return false;
  return true;
}

/** map_to_storage: the directory walk and the merged per-directory configuration. Synchronous
 *  when the configuration for the place is already known (no .htaccess can change it). */
export function mapToStorageStep(rec: RequestRecord): number | Promise<number> {
  const filename = rec.s.filename;
  if (rec.locationShortcut || filename === null) {
    syncDirFacts(rec);
    return OK;
  }
  const walk = walkPath(filename, rec.base || '/');
  rec.stats = walk.stats;
  if (walk.filename !== filename) rec.sync.set('filename', walk.filename);
  rec.sync.set('canonical_filename', walk.filename);
  rec.sync.set('path_info', walk.pathInfo);
  rec.sync.set('finfo', finfoTuple(walk.stats, walk.filename));
  if (walk.stats) rec.sync.set('mtime', Math.floor(walk.stats.mtimeMs / 1000));
  const target = { uri: rec.s.uri, filename: walk.filename, isDirectory: walk.stats?.isDirectory() ?? false };
  const known = cachedDirConfig(rec.server.conf, target);
  if (known) return afterDirConfig(rec, walk, known);
  return dirConfigFor(rec.site.cfg, rec.server.conf, target).then(
    ({ config }) => afterDirConfig(rec, walk, config),
    (err: unknown) => {
      if (!(err instanceof ConfigError)) throw err;
      rec.log(APLOG.ALERT, `${err.file}: ${err.message}`, 'core', 'AH00529');
      return 500;
    },
  );
}

/** The rest of map_to_storage once the per-directory configuration is known. */
function afterDirConfig(rec: RequestRecord, walk: WalkResult, config: Readonly<DirConfig>): number {
  rec.dir = config;
  syncDirFacts(rec);
  const limit = rec.dir.limitRequestBody ?? 0;
  if (limit > 0) {
    const clength = Number(rec.ex.req.headers['content-length'] ?? 0);
    if (clength > limit) {
      rec.log(APLOG.ERR, `Requested content-length of ${clength} is larger than the configured limit of ${limit}`, 'http', 'AH00590');
      return 413;
    }
  }
  if (walk.pathInfo && rec.dir.acceptPathInfo === 'Off') return 404;
  const opts = rec.dir.options;
  const policy = { followSymLinks: opts?.followSymLinks ?? true, symLinksIfOwnerMatch: opts?.symLinksIfOwnerMatch ?? false };
  if (policy.followSymLinks) return OK;
  if (symlinksAllowed(walk.filename, rec.base || '/', policy)) return OK;
  rec.log(APLOG.ERR, `Symbolic link not allowed or link target not accessible: ${walk.filename}`, 'core', 'AH00037');
  return 403;
}

/** type_checker after PythonTypeHandler declined (mod_mime). */
export function typeStep(rec: RequestRecord): number {
  const t = mimeType(rec.dir, rec.site.cfg.mimeTypes, rec.s.filename, rec.stats?.isDirectory() ?? false);
  if (t.contentType !== null) rec.sync.set('content_type', t.contentType);
  if (t.handler !== null) rec.sync.set('handler', t.handler);
  return OK;
}

/** The start of fixups (core and mod_env, before PythonFixupHandler): ForceType, SetHandler,
 *  the filter chains (Set/AddOutputFilter, Set/AddInputFilter), SetEnv/UnsetEnv/PassEnv. */
export function overrideTypeStep(rec: RequestRecord): number {
  applyDirEnv(rec);
  const o = overrideType(rec.dir);
  if (o.contentType !== null) rec.sync.set('content_type', o.contentType);
  if (o.handler !== null) rec.sync.set('handler', o.handler);
  // Apache registers filter names in lower case (filter.name shows them so).
  const out = outputFilterNames(rec.dir, rec.s.filename);
  if (out.length) rec.sync.set('output_filters', [...rec.s.output_filters, ...out.map((n) => n.toLowerCase())]);
  const inp = inputFilterNames(rec.dir, rec.s.filename);
  if (inp.length) rec.sync.set('input_filters', [...rec.s.input_filters, ...inp.map((n) => n.toLowerCase())]);
  return OK;
}

/** fixups after the Python handlers, in httpd's hook order: Redirect lines inside
 *  <Directory>/<Location>/.htaccess (mod_alias fixup_redir, middle), then RequestHeader
 *  (mod_headers, last) — which a matching Redirect ends the hook before. */
export function fixupStep(rec: RequestRecord): number {
  const status = redirectFixup(rec);
  if (status === OK) applyRequestHeaders(rec, 'onsuccess');
  return status;
}

function redirectFixup(rec: RequestRecord): number {
  const rules = rec.dir.redirects;
  if (!rules || rules.length === 0) return OK;
  const r = matchRedirect(rules, rec.s.uri, rec.s.args, (p) => rec.absoluteUrl(p));
  if (!r || r.kind !== 'redirect') return OK;
  if (r.location) {
    rec.s.headers_out.push(['Location', r.location]);
    rec.sync.touch('headers_out');
  }
  return r.status;
}
