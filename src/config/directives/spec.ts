/**
 * @module config/directives/spec — the shape of one directive record and the context a
 * directive's `apply` runs in. Every directive modpy understands is one DirectiveSpec.
 */
import { isAbsolute, resolve } from 'node:path';
import { configError } from '../../errors.js';
import type { DirConfig, ListenSpec, OverrideClass, PoolSettings, SectionKind, ServerConf, SourceRef } from '../types.js';
import type { RequireExpr } from '../types.js';

/** Argument shapes, as httpd's command_rec kinds (TAKE1, FLAG, ITERATE, RAW_ARGS, …). */
export type ArgShape = 'none' | 'take1' | 'take2' | 'take12' | 'take13' | 'take23' | 'take123' | 'flag' | 'iterate' | 'iterate2' | 'raw';

/** Where a directive may be written. 'directory' = <Directory>, <Location>, <Files>, *Match, <Limit>. */
export type DirectiveContext = 'server' | 'vhost' | 'directory' | 'htaccess';

export interface DirectiveSpec {
  name: string;
  /** httpd module the directive comes from (for docs), e.g. "core", "mod_python". */
  module: string;
  args: ArgShape;
  contexts: readonly DirectiveContext[];
  /** AllowOverride class that permits it in .htaccess; 'Any' = any class but None (OR_ALL). */
  override?: OverrideClass | 'Any';
  syntax: string;
  default: string;
  help: string;
  /** Set when modpy's behaviour differs from Apache's: what and why. */
  differs?: string;
  /** The spelling httpd's module declares (and prints in errors) when it differs from the
   *  documented name, e.g. mod_access_compat's "order". */
  declaredAs?: string;
  /** A remark for the reference page (behaviour worth knowing that matches Apache). */
  note?: string;
  apply(target: DirectiveTarget, args: string[], ctx: ApplyContext): void;
}

/** What a directive may change: the server being configured and the current per-dir config. */
export interface DirectiveTarget {
  server: ServerConf;
  /** dirDefaults at server/vhost level, else the section's (or .htaccess's) config. */
  dir: DirConfig;
  global: GlobalSettings;
}

/** Process-wide settings collected while building (become LoadedConfig fields). */
export interface GlobalSettings {
  listen: ListenSpec[];
  pidFile?: string;
  serverTokens?: 'Full' | 'OS' | 'Minimal' | 'Minor' | 'Major' | 'Prod';
  typesConfig?: string;
  logFormats: Record<string, string>;
  /** Format of the last LogFormat without a nickname (TransferLog uses it). */
  transferLogFormat?: string;
  pythonOptimize: boolean;
  poolDefaults: Partial<PoolSettings>;
  pools: Record<string, Partial<PoolSettings>>;
  gracefulShutdownTimeoutMs?: number;
  pythonImports: { module: string; interpreter: string; source: SourceRef }[];
  warnings: string[];
}

/** The directory a handler entry records (mod_python's determine_context, spec §3.3). */
export interface HandlerDirectory {
  directory: string | null;
  isLocation: boolean;
  pattern?: RegExp;
}

export interface ApplyContext {
  source: SourceRef;
  where: DirectiveContext;
  /** Innermost section as written ("Directory", "FilesMatch", "Limit", …), null outside. */
  sectionName: string | null;
  /** Innermost directory-type section kind (Directory, Location, Files …), null outside. */
  sectionKind: SectionKind | null;
  handlerDir: HandlerDirectory;
  /** Set inside <Limit>/<LimitExcept>. */
  limit: { methods: string[]; except: boolean } | null;
  /** Set inside <RequireAll>/<RequireAny>/<RequireNone>: Require lines go there. */
  requireSink: ((expr: RequireExpr) => void) | null;
  serverRoot: string;
  /** Overrides granted to the .htaccess being read (empty elsewhere). */
  overrides: ReadonlySet<OverrideClass>;
  allowedOptions: readonly string[] | undefined;
}

/** A path from the configuration: relative ones resolve against ServerRoot. */
export function serverPath(ctx: ApplyContext, p: string): string {
  return isAbsolute(p) ? p : resolve(ctx.serverRoot, p);
}

/** A coded ConfigError at the directive's line. */
export function fail(ctx: ApplyContext, message: string): never {
  throw configError('CONFIG_BAD_ARGUMENT', ctx.source.file, ctx.source.line, message);
}

/** Parses On/Off with httpd's message. */
export function parseFlag(name: string, value: string, ctx: ApplyContext): boolean {
  const v = value.toLowerCase();
  if (v === 'on') return true;
  if (v === 'off') return false;
  return fail(ctx, `${name} must be On or Off`);
}

/** One of a directive's keywords, in any case: `choices` maps each accepted spelling (lower
 *  case) to the value stored. Anything else fails with `message` (httpd's words, naming the
 *  legal values) at the directive's file and line. */
export function parseKeyword<T>(value: string, choices: Readonly<Record<string, T>>, ctx: ApplyContext, message: string): T {
  const v = value.toLowerCase();
  // Own keys only: "constructor" or "toString" must not pass as keywords.
  if (!Object.hasOwn(choices, v)) return fail(ctx, message);
  return choices[v] as T;
}

/** A number of seconds, fractions allowed, → milliseconds; else "NAME must be a number of
 *  seconds<hint>, got '…'". */
export function parseSecondsMs(name: string, value: string, ctx: ApplyContext, hint = ''): number {
  if (!/^\d+(\.\d+)?$/.test(value)) fail(ctx, `${name} must be a number of seconds${hint}, got '${value}'`);
  return Math.round(Number(value) * 1000);
}

/** GracefulShutdownTimeout and ModpyGracefulShutdownTimeout set one value, parsed alike. */
export function parseGracefulShutdownMs(name: string, value: string, ctx: ApplyContext): number {
  return parseSecondsMs(name, value, ctx, ' (0 = no limit)');
}

/** A non-negative integer, else `message`. */
export function parseCount(value: string, ctx: ApplyContext, message: string): number {
  if (!/^\d+$/.test(value)) fail(ctx, message);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) fail(ctx, message);
  return n;
}

/** Seconds, or with an `ms` suffix (httpd's ap_timeout_parameter_parse) → milliseconds. */
export function parseTimeoutMs(name: string, value: string, ctx: ApplyContext): number {
  const m = /^(\d+)(ms|s|mi|h)?$/i.exec(value);
  if (!m) return fail(ctx, `${name} requires a number of seconds (or a number with an ms, s, mi or h suffix), got '${value}'`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  return unit === 'ms' ? n : unit === 'mi' ? n * 60_000 : unit === 'h' ? n * 3_600_000 : n * 1000;
}

/** Builds a directive whose only job is to be accepted (documented no-op). */
export function accepted(name: string, module: string, args: ArgShape, contexts: readonly DirectiveContext[], syntax: string, help: string, differs: string, override?: OverrideClass | 'Any'): DirectiveSpec {
  return {
    name,
    module,
    args,
    contexts,
    ...(override ? { override } : {}),
    syntax,
    default: '—',
    help,
    differs,
    apply: () => undefined,
  };
}

export const SERVER: readonly DirectiveContext[] = ['server'];
export const RSRC: readonly DirectiveContext[] = ['server', 'vhost'];
export const ALL: readonly DirectiveContext[] = ['server', 'vhost', 'directory', 'htaccess'];
export const DIR_ONLY: readonly DirectiveContext[] = ['directory', 'htaccess'];
export const NOT_HTACCESS: readonly DirectiveContext[] = ['server', 'vhost', 'directory'];
