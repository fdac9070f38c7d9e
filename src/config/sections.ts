/**
 * @module config/sections — the container directives: <VirtualHost>, <Directory[Match]>,
 * <Location[Match]>, <Files[Match]>, <Limit[Except]>, <RequireAll|Any|None>. Each checks where
 * it may appear (httpd's wording), builds its Section/ServerConf, and walks its children.
 */
import { compileApacheRegex } from './regex.js';
import { resolve } from 'node:path';
import { configError } from '../errors.js';
import type { ConfigNode, DirConfig, RequireExpr, Section, SectionKind, ServerConf } from './types.js';
import { type Scope, applyDirective, checkContext, contextError, unknownDirective } from './apply.js';
import { finishAccess } from './directives/access-compat.js';
import { splitHostPort } from './directives/listen.js';
import type { HandlerDirectory } from './directives/spec.js';
import { globToRegExp, hasWildcard } from './glob.js';
import { DIR_ONLY } from './directives/spec.js';

/** Collects what a walk creates besides directive effects. */
export interface WalkOutput {
  vhosts: ServerConf[];
  /** Destination of new sections (the server's list, or an .htaccess's <Files> list). */
  sections: Section[];
}

export function newServer(isVirtual: boolean, source: { file: string; line: number }): ServerConf {
  return {
    isVirtual,
    source,
    addresses: [],
    serverAliases: [],
    customLogs: [],
    aliases: [],
    redirects: [],
    dirDefaults: {},
    pythonServerDirectives: {},
    pythonServerOptions: {},
    sections: [],
    pythonImports: [],
  };
}

export function walk(nodes: readonly ConfigNode[], scope: Scope, out: WalkOutput, enclosing: Section | null): void {
  for (const node of nodes) {
    if (node.children) applySection(node, scope, out, enclosing);
    else applyDirective(node, scope);
  }
}

function fail(node: ConfigNode, message: string): never {
  throw configError('CONFIG_SYNTAX', node.source.file, node.source.line, message);
}

function needArgs(node: ConfigNode): void {
  if (node.args.length === 0) fail(node, `<${node.name}> directive requires additional arguments`);
}

function compile(node: ConfigNode, source: string): RegExp {
  try {
    return compileApacheRegex(source);
  } catch {
    return fail(node, `Regex could not be compiled: ${source}`);
  }
}

function applySection(node: ConfigNode, scope: Scope, out: WalkOutput, enclosing: Section | null): void {
  switch (node.name.toLowerCase()) {
    case 'virtualhost':
      return virtualHost(node, scope, out);
    case 'directory':
    case 'directorymatch':
    case 'location':
    case 'locationmatch':
      return pathSection(node, scope, out);
    case 'files':
    case 'filesmatch':
      return filesSection(node, scope, out, enclosing);
    case 'limit':
    case 'limitexcept':
      return limitSection(node, scope, out, enclosing);
    case 'requireall':
    case 'requireany':
    case 'requirenone':
      return requireSection(node, scope);
    case 'if':
    case 'elseif':
    case 'else':
      // httpd core has these, so "Invalid command" would mislead.
      return fail(node, `<${node.name}> (ap_expr expressions) is not implemented by modpy; use <IfDefine>, <IfModule> or separate sections`);
    default:
      return unknownDirective(`<${node.name}`, node);
  }
}

/** Sections that only server/vhost level may contain. */
function serverLevelOnly(node: ConfigNode, scope: Scope): void {
  if (scope.where === 'htaccess') throw contextError(`<${node.name} not allowed here`, node.source);
  if (scope.where === 'directory') throw contextError(`<${node.name} not allowed in <${scope.sectionName}> context`, node.source);
}

function virtualHost(node: ConfigNode, scope: Scope, out: WalkOutput): void {
  if (scope.where === 'vhost') throw contextError('<VirtualHost> cannot occur within <VirtualHost> section', node.source);
  serverLevelOnly(node, scope);
  needArgs(node);
  const vhost = newServer(true, node.source);
  for (const a of node.args) {
    const hp = splitHostPort(a);
    if (!hp) fail(node, `Could not resolve host name ${a} -- ignoring!`);
    vhost.addresses.push(hp);
  }
  const inner: Scope = { ...scope, server: vhost, dir: vhost.dirDefaults, where: 'vhost' };
  // No finishAccess here: access directives are directory-only, so dirDefaults has none.
  walk(node.children ?? [], inner, { vhosts: out.vhosts, sections: vhost.sections }, null);
  out.vhosts.push(vhost);
}

function withSlash(p: string): string {
  return p.endsWith('/') ? p : `${p}/`;
}

function pathSection(node: ConfigNode, scope: Scope, out: WalkOutput): void {
  serverLevelOnly(node, scope);
  needArgs(node);
  const lower = node.name.toLowerCase();
  const isLocation = lower.startsWith('location');
  const tilde = node.args[0] === '~';
  const pattern = (tilde ? node.args[1] : node.args[0]) ?? fail(node, `<${node.name}> directive requires additional arguments`);
  const isRegex = tilde || lower.endsWith('match');
  const kind: SectionKind = isLocation ? (isRegex ? 'locationmatch' : 'location') : isRegex ? 'directorymatch' : 'directory';
  const config: DirConfig = {};
  let handlerDir: HandlerDirectory;
  let written = pattern;
  let regex: RegExp | undefined;
  if (isLocation) {
    if (isRegex) regex = compile(node, pattern);
    else if (hasWildcard(pattern)) regex = globToRegExp(pattern);
    handlerDir = { directory: pattern, isLocation: true };
    config.configDirectory = pattern;
    config.fromLocation = true;
  } else if (isRegex) {
    regex = compile(node, pattern);
    handlerDir = { directory: pattern, isLocation: false, pattern: regex };
    config.configDirectory = pattern;
    config.fromLocation = false;
  } else {
    // httpd canonicalises <Directory> paths (relative ones against ServerRoot) and compares
    // them with a trailing slash.
    written = withSlash(resolve(scope.serverRoot, pattern));
    if (hasWildcard(written)) {
      regex = globToRegExp(written);
      handlerDir = { directory: written, isLocation: false, pattern: regex };
    } else handlerDir = { directory: written, isLocation: false };
    config.configDirectory = written;
    config.fromLocation = false;
  }
  const section: Section = { kind, pattern: written, config, source: node.source };
  if (regex) section.regex = regex;
  const inner: Scope = { ...scope, dir: config, where: 'directory', sectionName: node.name, sectionKind: kind, handlerDir };
  // Sections nested in this one (<Files>) are kept in the server's list after it.
  const nested: Section[] = [];
  walk(node.children ?? [], inner, { vhosts: out.vhosts, sections: nested }, section);
  finishAccess(config);
  out.sections.push(section, ...nested);
}

function filesSection(node: ConfigNode, scope: Scope, out: WalkOutput, enclosing: Section | null): void {
  if (scope.sectionKind === 'location' || scope.sectionKind === 'locationmatch') {
    throw contextError(`<${node.name}> cannot occur within <${scope.sectionKind === 'location' ? 'Location' : 'LocationMatch'}> section`, node.source);
  }
  needArgs(node);
  const tilde = node.args[0] === '~';
  const pattern = (tilde ? node.args[1] : node.args[0]) ?? fail(node, `<${node.name}> directive requires additional arguments`);
  const isRegex = tilde || node.name.toLowerCase() === 'filesmatch';
  const kind: SectionKind = isRegex ? 'filesmatch' : 'files';
  const config: DirConfig = {};
  const section: Section = { kind, pattern, config, source: node.source };
  if (isRegex) section.regex = compile(node, pattern);
  else if (hasWildcard(pattern)) section.regex = globToRegExp(pattern);
  if (enclosing) section.within = enclosing;
  // mod_python skips <Files> when recording a handler's directory: the enclosing one counts.
  const inner: Scope = { ...scope, dir: config, where: scope.where === 'htaccess' ? 'htaccess' : 'directory', sectionName: node.name, sectionKind: kind };
  const nested: Section[] = [];
  walk(node.children ?? [], inner, { vhosts: out.vhosts, sections: nested }, section);
  finishAccess(config);
  out.sections.push(section, ...nested);
}

function limitSection(node: ConfigNode, scope: Scope, out: WalkOutput, enclosing: Section | null): void {
  if (scope.limit) throw contextError(`<${node.name}> cannot occur within <Limit> section`, node.source);
  needArgs(node);
  const methods = node.args.map((m) => m.toUpperCase());
  for (const m of methods) if (!/^[A-Z-]+$/.test(m)) fail(node, `Invalid method in <${node.name}>: ${m}`);
  const inner: Scope = { ...scope, limit: { methods, except: node.name.toLowerCase() === 'limitexcept' } };
  walk(node.children ?? [], inner, out, enclosing);
}

function isNegative(e: RequireExpr): boolean {
  return e.kind === 'none' || (e.kind === 'require' && e.negated);
}

function requireSection(node: ConfigNode, scope: Scope): void {
  checkContext(`<${node.name}`, { contexts: DIR_ONLY, override: 'AuthConfig' }, scope, node);
  const kind = node.name.toLowerCase().slice('require'.length) as 'all' | 'any' | 'none';
  const label = `Require${kind === 'all' ? 'All' : kind === 'any' ? 'Any' : 'None'}`;
  const children: RequireExpr[] = [];
  const inner: Scope = { ...scope, requireSink: (e) => children.push(e), requireContainer: label };
  for (const child of node.children ?? []) {
    if (child.children) {
      if (!/^require(all|any|none)$/i.test(child.name)) throw contextError(`<${child.name} not allowed in <${label}> context`, child.source);
      requireSection(child, inner);
    } else applyDirective(child, inner);
  }
  if (children.length === 0) fail(node, `<${label}> directive contains no authorization directives`);
  if (kind !== 'all') {
    const neg = children.find(isNegative);
    if (neg) throw configError('CONFIG_BAD_ARGUMENT', neg.source.file, neg.source.line, `negative Require directive has no effect in <${label}> directive`);
  } else if (children.every(isNegative)) fail(node, `<${label}> directive contains only negative authorization directives`);
  const expr: RequireExpr = { kind, children, source: node.source };
  if (scope.requireSink) return scope.requireSink(expr);
  if (kind === 'none') fail(node, '<RequireNone> directive has no effect in <RequireAny> directive');
  scope.dir.requireLines = [...(scope.dir.requireLines ?? []), { methods: scope.limit?.methods ?? null, except: scope.limit?.except ?? false, expr }];
}
