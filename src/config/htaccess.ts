/**
 * @module config/htaccess — reads one .htaccess file into a DirConfig (plus its <Files>
 * sections), with the overrides its directory grants. Parsed files are cached by path and
 * re-read when their mtime or size changes (httpd re-reads them on every request).
 */
import { readFile } from 'node:fs/promises';
import { statSync, type Stats } from 'node:fs';
import type { LoadedConfig, OverrideClass, Section } from './types.js';
import { freezeDir } from './freeze.js';
import type { DirConfig } from './types.js';
import { parseText, type ParseState } from './parse.js';
import { newServer, walk } from './sections.js';
import type { Scope } from './apply.js';
import { finishAccess } from './directives/access-compat.js';
import { forgetAbsent, knownAbsent, rememberAbsent } from './htaccess-absent.js';
import { BoundedCache } from './bounded-cache.js';

export interface HtaccessResult {
  config: Readonly<DirConfig>;
  /** <Files>/<FilesMatch> sections written in the file. */
  files: Section[];
}

interface CacheEntry {
  mtimeMs: number;
  size: number;
  key: string;
  result: HtaccessResult;
}

/** Per loaded configuration: a reload (new LoadedConfig) starts from an empty cache, since
 *  Defines and modules decide how a file parses. */
const parsed = new BoundedCache<LoadedConfig, CacheEntry>(4096);

/** Reads `path` (in directory `dir`, with trailing slash) if it exists; null when absent. */
export async function readHtaccess(
  cfg: LoadedConfig,
  path: string,
  dir: string,
  overrides: ReadonlySet<OverrideClass>,
  allowedOptions: readonly string[] | undefined,
): Promise<HtaccessResult | null> {
  const now = Date.now();
  if (knownAbsent(path, now)) return null;
  // A synchronous stat: microseconds in the kernel, against a thread-pool round trip per
  // directory and request (httpd stats .htaccess on every request too).
  const st = statQuietly(path);
  if (!st?.isFile()) {
    rememberAbsent(path, now);
    return null;
  }
  forgetAbsent(path);
  const key = grantKey(overrides, allowedOptions);
  const hit = parsed.get(cfg, path);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size && hit.key === key) return hit.result;
  const text = await readFile(path, 'utf8');
  const result = await parseHtaccess(cfg, text, path, dir, overrides, allowedOptions);
  parsed.set(cfg, path, { mtimeMs: st.mtimeMs, size: st.size, key, result });
  return result;
}

/** Keys already built, per override set (a merged config's, or the empty one) and Options=
 *  list: both come from frozen configs, so each pair is spelled out once, not per request. */
const grantKeys = new WeakMap<ReadonlySet<OverrideClass>, Map<readonly string[] | undefined, string>>();

/** What an .htaccess parse depends on besides its text: the classes and options granted. */
export function grantKey(overrides: ReadonlySet<OverrideClass>, allowedOptions: readonly string[] | undefined): string {
  let byOptions = grantKeys.get(overrides);
  if (!byOptions) {
    byOptions = new Map();
    grantKeys.set(overrides, byOptions);
  }
  let key = byOptions.get(allowedOptions);
  if (key === undefined) {
    key = `${[...overrides].sort().join(',')}|${allowedOptions?.join(',') ?? '*'}`;
    byOptions.set(allowedOptions, key);
  }
  return key;
}

function statQuietly(path: string): Stats | null {
  try {
    return statSync(path, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null; // EACCES, ENOTDIR…: no readable .htaccess there
  }
}

/** Parses .htaccess text as if it were the file `path` in directory `dir`. */
export async function parseHtaccess(
  cfg: LoadedConfig,
  text: string,
  path: string,
  dir: string,
  overrides: ReadonlySet<OverrideClass>,
  allowedOptions: readonly string[] | undefined,
): Promise<HtaccessResult> {
  const state: ParseState = {
    serverRoot: cfg.serverRoot,
    defines: new Set(cfg.defines),
    vars: new Map(),
    modules: new Set(cfg.loadedModules),
    warnings: [],
    files: [],
    env: process.env,
    includeDepth: 0,
    htaccess: true,
  };
  const nodes = await parseText(text, path, state);
  const config: DirConfig = { configDirectory: dir, fromLocation: false };
  const server = newServer(false, { file: path, line: 0 });
  const scope: Scope = {
    server,
    dir: config,
    global: { listen: [], logFormats: {}, pythonOptimize: false, poolDefaults: {}, pools: {}, pythonImports: [], warnings: state.warnings },
    where: 'htaccess',
    sectionName: null,
    sectionKind: null,
    handlerDir: { directory: dir, isLocation: false },
    limit: null,
    requireSink: null,
    requireContainer: null,
    serverRoot: cfg.serverRoot,
    overrides,
    allowedOptions,
  };
  const files: Section[] = [];
  walk(nodes, scope, { vhosts: [], sections: files }, null);
  finishAccess(config);
  for (const f of files) freezeDir(f.config);
  return { config: freezeDir(config), files };
}
