/**
 * @module config/apply — applies one directive node: looks it up in the directive table,
 * checks the context (with httpd's messages) and the argument count, then runs its `apply`.
 */
import { ConfigError, ERRORS, configError } from '../errors.js';
import type { ConfigNode, DirConfig, OverrideClass, RequireExpr, SectionKind, ServerConf } from './types.js';
import { DIRECTIVES } from './directives/index.js';
import type { ApplyContext, ArgShape, DirectiveSpec, GlobalSettings, HandlerDirectory } from './directives/spec.js';

/** Where the walk is: the mutable state directives write to, and the context they check. */
export interface Scope {
  server: ServerConf;
  dir: DirConfig;
  global: GlobalSettings;
  where: ApplyContext['where'];
  sectionName: string | null;
  sectionKind: SectionKind | null;
  handlerDir: HandlerDirectory;
  limit: ApplyContext['limit'];
  requireSink: ((expr: RequireExpr) => void) | null;
  /** Name of the Require container being filled, for messages. */
  requireContainer: string | null;
  serverRoot: string;
  overrides: ReadonlySet<OverrideClass>;
  allowedOptions: readonly string[] | undefined;
}

/** MPY_ERR_CONFIG_CONTEXT with one of httpd's three context wordings (the table's template
 *  covers only "X not allowed here"). */
export function contextError(message: string, source: { file: string; line: number }): ConfigError {
  return new ConfigError(ERRORS.CONFIG_CONTEXT.code, message, source.file, source.line);
}

export function unknownDirective(name: string, node: ConfigNode): never {
  throw configError('CONFIG_UNKNOWN_DIRECTIVE', node.source.file, node.source.line, name);
}

/** httpd's context messages: "X not allowed here", "X not allowed in <Sec> context",
 *  "X cannot occur within <VirtualHost> section". `name` may be "<Directory" for sections. */
export function checkContext(name: string, spec: Pick<DirectiveSpec, 'contexts' | 'override'>, scope: Scope, node: ConfigNode): void {
  const err = (msg: string): never => {
    throw contextError(msg, node.source);
  };
  if (scope.requireContainer && !name.toLowerCase().startsWith('require') && !name.toLowerCase().startsWith('<require')) {
    err(`${name} not allowed in <${scope.requireContainer}> context`);
  }
  switch (scope.where) {
    case 'server':
      if (!spec.contexts.includes('server')) err(`${name} not allowed here`);
      return;
    case 'vhost':
      if (spec.contexts.includes('vhost')) return;
      if (spec.contexts.includes('server')) err(`${name} cannot occur within <VirtualHost> section`);
      err(`${name} not allowed in <VirtualHost> context`);
      return;
    case 'directory':
      if (!spec.contexts.includes('directory')) err(`${name} not allowed in <${scope.sectionName ?? 'Directory'}> context`);
      return;
    case 'htaccess': {
      const o = spec.override;
      const granted = o === undefined ? false : o === 'Any' ? scope.overrides.size > 0 : scope.overrides.has(o);
      if (!spec.contexts.includes('htaccess') || !granted) err(`${name} not allowed here`);
      return;
    }
  }
}

const COUNT_WORDS: Partial<Record<ArgShape, string>> = {
  take1: 'takes one argument',
  take2: 'takes two arguments',
  take12: 'takes 1-2 arguments',
  take13: 'takes 1-3 arguments',
  take123: 'takes 1-3 arguments',
  take23: 'takes 2-3 arguments',
  iterate: 'requires at least one argument',
  iterate2: 'requires at least two arguments',
};

const RANGES: Record<ArgShape, [number, number]> = {
  none: [0, 0],
  take1: [1, 1],
  take2: [2, 2],
  take12: [1, 2],
  take13: [1, 3],
  take123: [1, 3],
  take23: [2, 3],
  flag: [1, 1],
  iterate: [1, Infinity],
  iterate2: [2, Infinity],
  raw: [0, Infinity],
};

/** Argument-count check with httpd's wording ("X takes one argument, <help>"). */
export function checkArgs(spec: DirectiveSpec, node: ConfigNode): void {
  const [min, max] = RANGES[spec.args];
  const n = node.args.length;
  if (n >= min && n <= max) return;
  const f = node.source;
  const name = spec.declaredAs ?? spec.name;
  if (spec.args === 'flag') throw configError('CONFIG_BAD_ARGUMENT', f.file, f.line, `${name} must be On or Off`);
  if (spec.args === 'none') throw configError('CONFIG_BAD_ARGUMENT', f.file, f.line, `${name} takes no arguments`);
  throw configError('CONFIG_BAD_ARGUMENT', f.file, f.line, `${name} ${COUNT_WORDS[spec.args] ?? 'has the wrong number of arguments'}, ${spec.help}`);
}

export function contextOf(scope: Scope, node: ConfigNode): ApplyContext {
  return {
    source: node.source,
    where: scope.where,
    sectionName: scope.sectionName,
    sectionKind: scope.sectionKind,
    handlerDir: scope.handlerDir,
    limit: scope.limit,
    requireSink: scope.requireSink,
    serverRoot: scope.serverRoot,
    overrides: scope.overrides,
    allowedOptions: scope.allowedOptions,
  };
}

export function applyDirective(node: ConfigNode, scope: Scope): void {
  const spec = DIRECTIVES.get(node.name.toLowerCase());
  if (!spec) unknownDirective(node.name, node);
  checkContext(spec.declaredAs ?? spec.name, spec, scope, node);
  checkArgs(spec, node);
  spec.apply({ server: scope.server, dir: scope.dir, global: scope.global }, node.args, contextOf(scope, node));
}
