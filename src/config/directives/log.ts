/**
 * @module config/directives/log — ErrorLog/LogLevel (core) and LogFormat/CustomLog/TransferLog
 * (mod_log_config). CustomLog formats are resolved after the whole file is read (load.ts), so a
 * LogFormat may follow the CustomLog that names it, as in httpd.
 */
import type { CustomLogSpec } from '../types.js';
import { type ApplyContext, type DirectiveSpec, NOT_HTACCESS, RSRC, fail, serverPath } from './spec.js';

export const LOG_LEVELS = ['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug', 'trace1', 'trace2', 'trace3', 'trace4', 'trace5', 'trace6', 'trace7', 'trace8'] as const;

const LEVEL_MESSAGE = 'Log level keyword must be one of emerg/alert/crit/error/warn/notice/info/debug/trace1/.../trace8';

/** Validates `LogLevel [module:]level ...` and returns it normalised (lower-case, one space). */
export function parseLogLevel(args: string[], ctx: ApplyContext): string {
  const out: string[] = [];
  for (const a of args) {
    const i = a.lastIndexOf(':');
    const level = (i >= 0 ? a.slice(i + 1) : a).toLowerCase();
    if (!(LOG_LEVELS as readonly string[]).includes(level)) fail(ctx, LEVEL_MESSAGE);
    out.push(i >= 0 ? `${a.slice(0, i)}:${level}` : level);
  }
  return out.join(' ');
}

/** A log target: "|command" and "syslog…" as written, "stdout"/"stderr" kept, paths absolute. */
function logTarget(ctx: ApplyContext, target: string): string {
  if (target.startsWith('|') || target.startsWith('syslog') || target === 'stdout' || target === 'stderr') return target;
  if (target === '/dev/stdout') return 'stdout';
  if (target === '/dev/stderr') return 'stderr';
  return serverPath(ctx, target);
}

/** Marks a CustomLog format still to be resolved: a nickname, or a literal format. */
export const NICKNAME_PREFIX = '\u0000nickname:';

export const logDirectives: DirectiveSpec[] = [
  {
    name: 'ErrorLog',
    module: 'core',
    args: 'take1',
    contexts: RSRC,
    syntax: 'ErrorLog file-path|"|command"|stderr',
    default: 'ErrorLog logs/error_log',
    help: 'where server errors are logged',
    apply(t, args, ctx) {
      t.server.errorLog = logTarget(ctx, args[0] as string);
    },
  },
  {
    name: 'LogLevel',
    module: 'core',
    args: 'iterate',
    contexts: NOT_HTACCESS,
    syntax: 'LogLevel [module:]level [module:level] ...',
    default: 'LogLevel warn',
    help: 'how verbose the error log is, optionally per module (e.g. mod_python:debug)',
    apply(t, args, ctx) {
      const level = parseLogLevel(args, ctx);
      // Server level: the server's own level. In a section: per-directory (DirConfig.logLevel).
      if (ctx.where === 'server' || ctx.where === 'vhost') t.server.logLevel = level;
      else t.dir.logLevel = level;
    },
  },
  {
    name: 'LogFormat',
    module: 'mod_log_config',
    args: 'take12',
    contexts: RSRC,
    syntax: 'LogFormat format|nickname [nickname]',
    default: 'LogFormat "%h %l %u %t \\"%r\\" %>s %b"',
    help: 'an access-log format, optionally named',
    differs: 'Nicknames are global (httpd scopes them per virtual host, inheriting the main server\'s).',
    apply(t, args) {
      const [format, nickname] = args as [string, string | undefined];
      if (nickname !== undefined) t.global.logFormats[nickname] = format;
      else t.global.transferLogFormat = t.global.logFormats[format] ?? format;
    },
  },
  {
    name: 'CustomLog',
    module: 'mod_log_config',
    args: 'take23',
    contexts: RSRC,
    syntax: 'CustomLog file|"|command" format|nickname [env=[!]variable]',
    default: '—',
    help: 'an access log with its format',
    apply(t, args, ctx) {
      const spec: CustomLogSpec = { target: logTarget(ctx, args[0] as string), format: NICKNAME_PREFIX + (args[1] as string), source: ctx.source };
      const cond = args[2];
      if (cond !== undefined) {
        const m = /^env=(!?)(.+)$/.exec(cond);
        if (!m) fail(ctx, `CustomLog: the condition must be env=[!]variable (modpy does not support '${cond}')`);
        spec.condition = { env: m[2] as string, negated: m[1] === '!' };
      }
      t.server.customLogs.push(spec);
    },
  },
  {
    name: 'TransferLog',
    module: 'mod_log_config',
    args: 'take1',
    contexts: RSRC,
    syntax: 'TransferLog file|"|command"',
    default: '—',
    help: 'an access log in the last LogFormat without a nickname',
    apply(t, args, ctx) {
      const format = t.global.transferLogFormat ?? '%h %l %u %t "%r" %>s %b';
      t.server.customLogs.push({ target: logTarget(ctx, args[0] as string), format, source: ctx.source });
    },
  },
];
