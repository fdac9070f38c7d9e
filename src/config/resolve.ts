/**
 * @module config/resolve — per-request configuration: which virtual host serves a
 * connection + Host header, and the merged per-directory config for a URI/filename in
 * Apache's order (directory walk with .htaccess, regex directories, files, locations).
 *
 * Section kinds: 'directory'/'location'/'files' are literal paths or, when `regex` is set,
 * fnmatch wildcards (matched whole); the '*match' kinds are regular expressions (<X ~ re> and
 * <XMatch re>), searched anywhere in the string, as httpd does.
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DirConfig, LoadedConfig, OverrideClass, Section, ServerConf } from './types.js';
import { BoundedCache } from './bounded-cache.js';
import { mergeFrozen } from './merge-cache.js';
import { readHtaccess } from './htaccess.js';
import { type HostNames, hostNames, hostNamesMatch, normalizeHost, normalizeIp } from './host.js';

export interface ResolvedDir {
  config: Readonly<DirConfig>;
  htaccessFiles: string[];
}

/** Chooses the server for a request (httpd's IP-based then name-based selection): vhosts
 *  whose address is exactly the local address win over `*`/`_default_` ones; among those,
 *  the first whose ServerName or ServerAlias matches Host, else the first of them; with no
 *  vhost for the address and port, the main server. */
export function selectVirtualHost(cfg: LoadedConfig, localAddress: string, localPort: number, host: string | undefined): ServerConf {
  const candidates = candidatesFor(cfg, localAddress, localPort);
  if (candidates.length === 0) return cfg.main;
  const name = host === undefined ? undefined : normalizeHost(host);
  if (name) {
    for (const v of candidates) if (hostNamesMatch(namesOf(v), name)) return v;
  }
  return candidates[0] as ServerConf;
}

/** Each vhost's names, normalised once per loaded configuration (not per request). */
const vhostNames = new WeakMap<ServerConf, HostNames>();

function namesOf(v: ServerConf): HostNames {
  let names = vhostNames.get(v);
  if (!names) {
    names = hostNames(v.serverName, v.serverAliases);
    vhostNames.set(v, names);
  }
  return names;
}

/** Local addresses are few (one per listener), so this stays small; the limit bounds it anyway. */
const candidateCache = new BoundedCache<LoadedConfig, ServerConf[]>(1024);

/** The vhosts serving an address and port (exact address beats wildcard), cached per config. */
function candidatesFor(cfg: LoadedConfig, localAddress: string, localPort: number): ServerConf[] {
  const key = `${localAddress}|${localPort}`;
  let found = candidateCache.get(cfg, key);
  if (!found) {
    found = computeCandidates(cfg, normalizeIp(localAddress), localPort);
    candidateCache.set(cfg, key, found);
  }
  return found;
}

function computeCandidates(cfg: LoadedConfig, local: string, localPort: number): ServerConf[] {
  const exact: ServerConf[] = [];
  const wildcard: ServerConf[] = [];
  for (const v of cfg.vhosts) {
    let isExact = false;
    let isWild = false;
    for (const a of v.addresses) {
      if (a.port !== null && a.port !== localPort) continue;
      if (a.address === null) isWild = true;
      else if (addressIs(a.address, local)) isExact = true;
    }
    if (isExact) exact.push(v);
    else if (isWild) wildcard.push(v);
  }
  return exact.length > 0 ? exact : wildcard;
}

function addressIs(configured: string, local: string): boolean {
  const c = normalizeIp(configured);
  if (c === local) return true;
  return c === 'localhost' && (local === '127.0.0.1' || local === '::1');
}

/** Location-only view: server defaults merged with the matching <Location>/<LocationMatch>. */
export function locationConfigFor(server: ServerConf, uri: string): Readonly<DirConfig> {
  const hit = locationResultCache.get(server, uri);
  if (hit) return hit;
  let acc: Readonly<DirConfig> = server.dirDefaults;
  for (const s of matchingLocations(server, uri)) acc = mergeFrozen(acc, s.config);
  // Pure in (server, uri): remembered, so a request to a known URI does no matching at all.
  locationResultCache.set(server, uri, acc);
  return acc;
}

const RESOLVED_LIMIT = 4096;
const locationResultCache = new BoundedCache<ServerConf, Readonly<DirConfig>>(RESOLVED_LIMIT);

const locationCache = new WeakMap<ServerConf, Section[]>();

function matchingLocations(server: ServerConf, uri: string): Section[] {
  let locations = locationCache.get(server);
  if (!locations) {
    locations = server.sections.filter((s) => s.kind === 'location' || s.kind === 'locationmatch');
    locationCache.set(server, locations);
  }
  if (locations.length === 0) return locations;
  const u = uri.includes('//') ? uri.replace(/\/{2,}/g, '/') : uri;
  return locations.filter((s) => {
    if (s.kind === 'locationmatch') return (s.regex as RegExp).test(u);
    if (s.regex) return s.regex.test(u);
    return locationPrefixMatches(s.pattern, u);
  });
}

/** <Location /a> matches /a, /a/ and /a/x but not /ab (httpd's location_walk). */
export function locationPrefixMatches(pattern: string, uri: string): boolean {
  if (!uri.startsWith(pattern)) return false;
  return pattern.endsWith('/') || uri.length === pattern.length || uri[pattern.length] === '/';
}

/** Path component count with the trailing slash: "/" → 1, "/a/" → 2. */
function depth(dirWithSlash: string): number {
  return dirWithSlash.split('/').length - 1;
}

/** The directory prefixes httpd walks for a filename: "/", "/a/", … (the file's own path too
 *  when it is a directory). */
function prefixes(filename: string, isDirectory: boolean): string[] {
  const parts = filename.split('/').filter(Boolean);
  const dirs = isDirectory ? parts : parts.slice(0, -1);
  const out = ['/'];
  let acc = '/';
  for (const p of dirs) {
    acc += `${p}/`;
    out.push(acc);
  }
  return out;
}

const NOTHING: ReadonlySet<OverrideClass> = new Set();

interface DirectoryPlan {
  /** Non-regex <Directory> sections by component count, config order within a count. */
  byDepth: Map<number, Section[]>;
  regex: Section[];
  files: Section[];
}

const planCache = new WeakMap<ServerConf, DirectoryPlan>();

/** The server's sections grouped the way the walk consumes them (computed once per server). */
function planFor(server: ServerConf): DirectoryPlan {
  let plan = planCache.get(server);
  if (!plan) {
    plan = { byDepth: new Map(), regex: [], files: [] };
    for (const s of server.sections) {
      if (s.kind === 'directory') {
        const d = depth(s.pattern);
        const list = plan.byDepth.get(d) ?? [];
        list.push(s);
        plan.byDepth.set(d, list);
      } else if (s.kind === 'directorymatch') plan.regex.push(s);
      else if (s.kind === 'files' || s.kind === 'filesmatch') plan.files.push(s);
    }
    planCache.set(server, plan);
  }
  return plan;
}

/** Results of dirConfigFor that read no .htaccess (AllowOverride None along the whole path):
 *  they depend on the server's sections only, so the next request for the same file and URI
 *  takes them from here without walking again. Keyed per server, bounded. */
const resolvedCache = new BoundedCache<ServerConf, Readonly<DirConfig>>(RESOLVED_LIMIT);

function resolvedKey(target: { uri: string; filename: string; isDirectory: boolean }): string {
  return `${target.isDirectory ? 'd' : 'f'}${target.filename}\0${target.uri}`;
}

/** The merged config of an earlier dirConfigFor for the same target when no .htaccess could
 *  take part in it; undefined otherwise (call dirConfigFor). */
export function cachedDirConfig(server: ServerConf, target: { uri: string; filename: string; isDirectory: boolean }): Readonly<DirConfig> | undefined {
  return resolvedCache.get(server, resolvedKey(target));
}

/** Apache's merge order for a request; see the module comment for matching rules. */
export async function dirConfigFor(
  cfg: LoadedConfig,
  server: ServerConf,
  target: { uri: string; filename: string | null; isDirectory?: boolean },
): Promise<ResolvedDir> {
  if (target.filename === null) return { config: locationConfigFor(server, target.uri), htaccessFiles: [] };
  const filename = target.filename;
  const isDirectory = target.isDirectory ?? (filename.endsWith('/') || (await stat(filename).catch(() => null))?.isDirectory() === true);
  let acc: Readonly<DirConfig> = server.dirDefaults;
  const applied = new Set<Section>();
  const htaccessFiles: string[] = [];
  const htaccessFileSections: Section[] = [];
  const plan = planFor(server);
  const accessNames = server.accessFileName ?? ['.htaccess'];
  const walk = prefixes(filename, isDirectory);
  let htaccessPossible = false;
  for (let i = 0; i < walk.length; i++) {
    const prefix = walk[i] as string;
    // prefixes() yields "/" (1 component), "/a/" (2), … in order.
    for (const s of plan.byDepth.get(i + 1) ?? []) {
      if (s.regex ? s.regex.test(prefix) : s.pattern === prefix) {
        acc = mergeFrozen(acc, s.config);
        applied.add(s);
      }
    }
    // Unset AllowOverride (never configured) still reads the file, with nothing allowed (httpd).
    if (acc.allowOverride === undefined || acc.allowOverride.size > 0) {
      htaccessPossible = true;
      for (const name of accessNames) {
        const path = prefix + name;
        const ht = await readHtaccess(cfg, path, prefix, acc.allowOverride ?? NOTHING, acc.allowOverrideOptions);
        if (!ht) continue;
        acc = mergeFrozen(acc, ht.config);
        htaccessFiles.push(path);
        htaccessFileSections.push(...ht.files);
        break;
      }
    }
  }
  for (const s of plan.regex) {
    if ((s.regex as RegExp).test(filename)) {
      acc = mergeFrozen(acc, s.config);
      applied.add(s);
    }
  }
  acc = applyFiles(acc, plan.files, htaccessFileSections, applied, basename(filename));
  for (const s of matchingLocations(server, target.uri)) acc = mergeFrozen(acc, s.config);
  // Merged configs are frozen (config/merge), so the result can be shared by later requests.
  if (!htaccessPossible) resolvedCache.set(server, resolvedKey({ uri: target.uri, filename, isDirectory }), acc);
  return { config: acc, htaccessFiles };
}

function fileMatches(s: Section, base: string): boolean {
  if (s.kind === 'filesmatch') return (s.regex as RegExp).test(base);
  return s.regex ? s.regex.test(base) : s.pattern === base;
}

/** <Files> in httpd order: top-level ones, then those nested in applied sections (in the
 *  order the server lists them), then those of .htaccess files. */
function applyFiles(acc: Readonly<DirConfig>, sections: readonly Section[], fromHtaccess: readonly Section[], applied: Set<Section>, base: string): Readonly<DirConfig> {
  for (const s of fromHtaccess.length ? [...sections, ...fromHtaccess] : sections) {
    if (s.within && !applied.has(s.within)) continue;
    if (!fileMatches(s, base)) continue;
    acc = mergeFrozen(acc, s.config);
    applied.add(s);
  }
  return acc;
}
