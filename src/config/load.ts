/**
 * @module config/load — loadConfig(file) → LoadedConfig: parse (with Includes), apply the
 * directive table, then apply httpd's defaults and give every virtual host the main server's
 * values it does not set itself.
 *
 * ServerRoot: the `ServerRoot` directive wins; before it (and without it) the root is
 * opts.serverRoot (-d), else the config file's directory's parent when that directory is
 * named `conf` (httpd's conf/httpd.conf layout), else the config file's directory.
 */
import { stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { configError } from '../errors.js';
import type { ConfigNode, LoadedConfig, ServerConf } from './types.js';
import { parseFile, parseText, type ParseState } from './parse.js';
import { builtinModules } from './modules.js';
import { newServer, walk } from './sections.js';
import type { Scope } from './apply.js';
import type { GlobalSettings } from './directives/spec.js';
import { NICKNAME_PREFIX } from './directives/log.js';
import { BUILTIN_DIR_DEFAULTS, DEFAULT_GRACEFUL_SHUTDOWN_MS, DEFAULT_LOG_FORMATS, SERVER_DEFAULTS, defaultPoolSettings } from './defaults.js';
import { mergeDirConfig } from './merge.js';
import { loadMimeTypes } from './mime-types.js';
import { freezeServer } from './freeze.js';

export interface LoadOptions {
  defines?: string[];
  serverRoot?: string;
}

/** The ServerRoot used before any ServerRoot directive. */
export function defaultServerRoot(configFile: string): string {
  const dir = dirname(resolve(configFile));
  return basename(dir) === 'conf' ? dirname(dir) : dir;
}

export async function loadConfig(file: string, opts: LoadOptions = {}): Promise<LoadedConfig> {
  const abs = resolve(file);
  const state = newState(opts.serverRoot ? resolve(opts.serverRoot) : defaultServerRoot(abs), opts.defines);
  const tree = await parseFile(abs, state);
  return build(tree, state, abs);
}

export async function loadConfigFromText(text: string, opts: { virtualFile: string; serverRoot: string; defines?: string[] }): Promise<LoadedConfig> {
  const state = newState(resolve(opts.serverRoot), opts.defines);
  const tree = await parseText(text, opts.virtualFile, state);
  return build(tree, state, opts.virtualFile);
}

function newState(serverRoot: string, defines: string[] | undefined): ParseState {
  return {
    serverRoot,
    defines: new Set(defines ?? []),
    vars: new Map(),
    modules: builtinModules(),
    warnings: [],
    files: [],
    env: process.env,
    includeDepth: 0,
  };
}

async function build(tree: ConfigNode[], state: ParseState, mainFile: string): Promise<LoadedConfig> {
  const global: GlobalSettings = {
    listen: [],
    logFormats: { ...DEFAULT_LOG_FORMATS },
    pythonOptimize: false,
    poolDefaults: {},
    pools: {},
    pythonImports: [],
    warnings: state.warnings,
  };
  const main = newServer(false, { file: mainFile, line: 0 });
  const vhosts: ServerConf[] = [];
  const scope: Scope = {
    server: main,
    dir: main.dirDefaults,
    global,
    where: 'server',
    sectionName: null,
    sectionKind: null,
    handlerDir: { directory: null, isLocation: false },
    limit: null,
    requireSink: null,
    requireContainer: null,
    serverRoot: state.serverRoot,
    overrides: new Set(),
    allowedOptions: undefined,
  };
  walk(tree, scope, { vhosts, sections: main.sections }, null);

  // Only DocumentRoots the configuration names are checked (httpd does not warn about its default).
  await warnAboutDocumentRoots([main, ...vhosts], global);
  applyServerDefaults(main, state.serverRoot, global);
  const resolvedVhosts = vhosts.map((v) => inheritFromMain(v, main));
  for (const s of [main, ...resolvedVhosts]) resolveLogFormats(s, global);

  let mime;
  try {
    mime = await loadMimeTypes(global.typesConfig);
  } catch {
    throw configError('CONFIG_INCLUDE', mainFile, 0, `could not open mime types config file ${global.typesConfig}.`);
  }
  const poolDefaults = { ...defaultPoolSettings(process.env), ...global.poolDefaults };
  poolDefaults.env = { ...defaultPoolSettings(process.env).env, ...global.poolDefaults.env };

  const cfg: LoadedConfig = {
    files: state.files,
    serverRoot: state.serverRoot,
    defines: new Set(state.defines),
    loadedModules: new Set(state.modules),
    listen: global.listen,
    pidFile: global.pidFile ?? resolve(state.serverRoot, 'logs/httpd.pid'),
    serverTokens: global.serverTokens ?? 'Full',
    mimeTypes: mime.map,
    logFormats: global.logFormats,
    main: freezeServer(main),
    vhosts: resolvedVhosts.map(freezeServer),
    tree,
    pythonOptimize: global.pythonOptimize,
    poolDefaults,
    pools: global.pools,
    gracefulShutdownTimeoutMs: global.gracefulShutdownTimeoutMs ?? DEFAULT_GRACEFUL_SHUTDOWN_MS,
    warnings: global.warnings,
    pythonImports: global.pythonImports,
  };
  if (mime.file !== undefined) cfg.typesConfig = mime.file;
  return cfg;
}

function applyServerDefaults(main: ServerConf, serverRoot: string, global: GlobalSettings): void {
  if (main.serverName === undefined) {
    main.serverName = hostname();
    global.warnings.push(`AH00558: Could not reliably determine the server's fully qualified domain name, using ${main.serverName}. Set the 'ServerName' directive globally to suppress this message`);
  }
  main.documentRoot ??= resolve(serverRoot, 'htdocs');
  main.errorLog ??= resolve(serverRoot, 'logs/error_log');
  main.logLevel ??= SERVER_DEFAULTS.logLevel;
  main.timeout ??= SERVER_DEFAULTS.timeout;
  main.keepAlive ??= SERVER_DEFAULTS.keepAlive;
  main.keepAliveTimeout ??= SERVER_DEFAULTS.keepAliveTimeout;
  main.maxKeepAliveRequests ??= SERVER_DEFAULTS.maxKeepAliveRequests;
  main.limitRequestFields ??= SERVER_DEFAULTS.limitRequestFields;
  main.limitRequestFieldSize ??= SERVER_DEFAULTS.limitRequestFieldSize;
  main.limitRequestLine ??= SERVER_DEFAULTS.limitRequestLine;
  main.accessFileName ??= [...SERVER_DEFAULTS.accessFileName];
  main.dirDefaults = mergeDirConfig(BUILTIN_DIR_DEFAULTS, main.dirDefaults) as ServerConf['dirDefaults'];
}

/** httpd's vhost fix-up (ap_fixup_virtual_hosts + each module's server merge): unset fields
 *  come from the main server; per-dir defaults merge main → vhost; the main server's sections
 *  come first in every list, the vhost's after them (so they win when both match). */
export function inheritFromMain(v: ServerConf, main: ServerConf): ServerConf {
  const out: ServerConf = {
    ...v,
    serverName: v.serverName ?? main.serverName,
    serverAdmin: v.serverAdmin ?? main.serverAdmin,
    documentRoot: v.documentRoot ?? main.documentRoot,
    errorLog: v.errorLog ?? main.errorLog,
    logLevel: v.logLevel ?? main.logLevel,
    timeout: v.timeout ?? main.timeout,
    keepAlive: v.keepAlive ?? main.keepAlive,
    keepAliveTimeout: v.keepAliveTimeout ?? main.keepAliveTimeout,
    maxKeepAliveRequests: v.maxKeepAliveRequests ?? main.maxKeepAliveRequests,
    limitRequestFields: v.limitRequestFields ?? main.limitRequestFields,
    limitRequestFieldSize: v.limitRequestFieldSize ?? main.limitRequestFieldSize,
    limitRequestLine: v.limitRequestLine ?? main.limitRequestLine,
    accessFileName: v.accessFileName ?? main.accessFileName,
    customLogs: v.customLogs.length > 0 ? v.customLogs : [...main.customLogs],
    // mod_alias: the vhost's own rules are tried before the main server's.
    aliases: [...v.aliases, ...main.aliases],
    redirects: [...v.redirects, ...main.redirects],
    dirDefaults: mergeDirConfig(main.dirDefaults, v.dirDefaults) as ServerConf['dirDefaults'],
    pythonServerDirectives: { ...main.pythonServerDirectives, ...v.pythonServerDirectives },
    pythonServerOptions: { ...main.pythonServerOptions, ...v.pythonServerOptions },
    sections: [...main.sections, ...v.sections],
  };
  if (out.serverNamePort === undefined && main.serverNamePort !== undefined && v.serverName === undefined) out.serverNamePort = main.serverNamePort;
  if (!out.pythonConnectionHandler && main.pythonConnectionHandler) out.pythonConnectionHandler = main.pythonConnectionHandler;
  for (const k of Object.keys(out) as (keyof ServerConf)[]) if (out[k] === undefined) delete out[k];
  return out;
}

function resolveLogFormats(s: ServerConf, global: GlobalSettings): void {
  for (const log of s.customLogs) {
    if (!log.format.startsWith(NICKNAME_PREFIX)) continue;
    const written = log.format.slice(NICKNAME_PREFIX.length);
    log.format = global.logFormats[written] ?? written;
  }
}

async function warnAboutDocumentRoots(servers: ServerConf[], global: GlobalSettings): Promise<void> {
  const seen = new Set<string>();
  for (const s of servers) {
    const root = s.documentRoot;
    if (root === undefined || seen.has(root)) continue;
    seen.add(root);
    const st = await stat(root).catch(() => null);
    if (!st?.isDirectory()) global.warnings.push(`AH00112: Warning: DocumentRoot [${root}] does not exist`);
  }
}
